import { CHANNELS, PURPOSES, type Channel, type ConsentRecord, type ConsentSource, type ConsentStatus, type Purpose } from './types.js';

/** The current consent for one purpose on one channel: the record that decides it. */
export interface ConsentState {
  status: ConsentStatus;
  since: number;
  recordId: string;
  source: ConsentSource;
}

/** Current consent per purpose × channel; `null` where the ledger has nothing in force. */
export type CurrentConsent = Record<Purpose, Record<Channel, ConsentState | null>>;

/**
 * Orders records by which one speaks last. The decisive record for a purpose × channel is the
 * greatest under this order:
 * 1. later effective time wins (a consent given on paper last week and entered today is effective
 *    last week: a withdrawal made yesterday still beats it);
 * 2. equal effective times: the later recorded wins (the newer statement about the same instant);
 * 3. still equal: a withdrawal beats a grant (when in doubt, do not message);
 * 4. still equal: the greater id (unique and time-sortable), so the result never depends on input order.
 */
export function compareRecords(a: ConsentRecord, b: ConsentRecord): number {
  return (
    a.effectiveAt - b.effectiveAt ||
    a.recordedAt - b.recordedAt ||
    (a.status === b.status ? 0 : a.status === 'withdrawn' ? 1 : -1) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function emptyConsent(): CurrentConsent {
  const out = {} as CurrentConsent;
  for (const purpose of PURPOSES) {
    out[purpose] = {} as Record<Channel, ConsentState | null>;
    for (const channel of CHANNELS) out[purpose][channel] = null;
  }
  return out;
}

/**
 * Current consent, derived from the ledger: per purpose × channel, the greatest record under
 * `compareRecords` among those already effective at `asOf` (records dated in the future are not yet
 * in force). Pure: the same records give the same answer in any order.
 */
export function deriveConsent(records: readonly ConsentRecord[], asOf: number = Number.POSITIVE_INFINITY): CurrentConsent {
  const out = emptyConsent();
  const decisive = new Map<string, ConsentRecord>();
  for (const record of records) {
    if (record.effectiveAt > asOf) continue;
    const key = `${record.purpose}/${record.channel}`;
    const current = decisive.get(key);
    if (!current || compareRecords(record, current) > 0) decisive.set(key, record);
  }
  for (const record of decisive.values()) {
    if (!out[record.purpose] || !(record.channel in out[record.purpose])) continue;
    out[record.purpose][record.channel] = { status: record.status, since: record.effectiveAt, recordId: record.id, source: record.source };
  }
  return out;
}
