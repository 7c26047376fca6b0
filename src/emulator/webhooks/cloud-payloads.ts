import type { CloudNumber, CloudStatus } from '../types.js';

/**
 * Builders of Cloud API webhook objects, field for field in the order of Meta's reference (and of the
 * fixtures in test/fixtures/whatsapp/). Timestamps are strings of Unix seconds.
 */
export const unixSeconds = (ms: number) => String(Math.floor(ms / 1000));

export const metadata = (number: CloudNumber) => ({ display_phone_number: number.displayPhoneNumber, phone_number_id: number.phoneNumberId });

export function pricing(category: string, billable: boolean) {
  // Per-message pricing (July 2025+): type "regular" for charged messages; free service replies and
  // utility templates inside an open window are not billable.
  return { billable, pricing_model: 'PMP', type: billable ? 'regular' : 'free_customer_service', category };
}

export interface StatusInput {
  id: string;
  status: CloudStatus;
  at: number;
  recipientId: string;
  bizOpaque?: string;
  pricing?: ReturnType<typeof pricing>;
  errors?: Array<Record<string, unknown>>;
}

export function statusObject(input: StatusInput): Record<string, unknown> {
  const status: Record<string, unknown> = { id: input.id, status: input.status, timestamp: unixSeconds(input.at), recipient_id: input.recipientId };
  if (input.bizOpaque !== undefined) status.biz_opaque_callback_data = input.bizOpaque;
  if (input.pricing) status.pricing = input.pricing;
  if (input.errors) status.errors = input.errors;
  return status;
}

/** The `value` of a `messages` change. */
export function messagesValue(number: CloudNumber, part: { contacts?: unknown[]; messages?: unknown[]; statuses?: unknown[]; errors?: unknown[] }) {
  return { messaging_product: 'whatsapp', metadata: metadata(number), ...part };
}

export function envelope(wabaId: string, changes: Array<{ value: unknown; field: string }>, time?: number) {
  const entry: Record<string, unknown> = { id: wabaId };
  if (time !== undefined) entry.time = Math.floor(time / 1000);
  entry.changes = changes;
  return { object: 'whatsapp_business_account', entry: [entry] };
}

/** Meta writes the template language with a dash in these webhooks (`en-US`) although templates are created with `en_US`. */
export const webhookLanguage = (language: string) => language.replace(/_/g, '-');
