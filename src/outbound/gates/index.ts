import type { Gate } from './gate.js';
import { validityGate } from './validity-gate.js';
import { windowGate } from './window-gate.js';
import { suppressionGate } from './suppression-gate.js';
import { consentGate } from '../../consent/consent-gate.js';
import { templateGate } from '../../templates/usability/template-gate.js';

/**
 * The gate list, in order, run at accept and again at dispatch. Other modules add theirs here
 * (consent, quiet hours, frequency caps, template state). Order matters only for which reason is
 * reported first: cheap, decisive gates come first.
 */
export const OUTBOUND_GATES: Gate<any>[] = [validityGate, suppressionGate, consentGate, templateGate, windowGate];
