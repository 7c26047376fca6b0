import type { Store } from '../db/database.js';
import { AuditLog } from '../audit/audit-log.js';
import type { AuditEntryInput } from '../access/audit-port.js';
import type { Actor } from '../access/actor.js';
import { systemClock } from '../shared/time.js';

/** Who changes things from the command line: whoever can run `parley` against the database. */
export const CLI_ACTOR: Actor = { type: 'system', id: 'cli' };

/** Records a change made by a `parley` command in its workspace's audit trail, as the CLI's actor. */
export async function recordCliChange(store: Store, entry: Omit<AuditEntryInput, 'actor' | 'origin'>): Promise<void> {
  await new AuditLog(store, systemClock).record({ ...entry, actor: CLI_ACTOR });
}
