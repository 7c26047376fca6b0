import type { Config } from '../../config/load.js';
import type { LintOptions } from './types.js';

/** The lint thresholds as the operator configured them. */
export const lintOptionsFrom = (config: Pick<Config, 'templateMinWordsPerVariable'>): LintOptions => ({ minWordsPerVariable: config.templateMinWordsPerVariable });
