import type { Insertable } from 'kysely';
import type { MessagesTable } from './tables.js';

/** A new message's row, as the modules that create messages build it. */
export type NewMessageRow = Insertable<MessagesTable>;
