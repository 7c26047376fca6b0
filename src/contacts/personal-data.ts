import type { Permission } from '../access/permissions.js';
import { holds, type Principal } from '../access/principal.js';

/**
 * The permission to see a contact's personal data: phone number, WhatsApp id, name, email and custom
 * attributes (and the evidence kept with a consent record). A key holds it with `contacts:read`; an
 * analyst reads contacts without it and sees them with those fields withheld. Every route that
 * presents a contact asks here.
 */
export const PERSONAL_DATA_PERMISSION: Permission = 'contacts.read_pii';

export const readsPersonalData = (principal: Principal): boolean => holds(principal, PERSONAL_DATA_PERMISSION);

/** The fields of a contact's view withheld from a principal without the permission. */
export const PERSONAL_FIELDS = ['phone', 'waId', 'name', 'email', 'attributes'] as const;
