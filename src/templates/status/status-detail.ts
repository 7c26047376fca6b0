import { isRecord } from '../../template-text/template-shape.js';

/**
 * The details of a template status fact, whichever way they arrive: webhook ingestion passes
 * `{ rejectionInfo, otherInfo, disableInfo, category }`; Meta's own payload spells them
 * `rejection_info`, `other_info`, `disable_info`, `message_template_category`. Stored in the first form.
 */
export interface StatusDetail {
  rejectionInfo?: { reason?: string; recommendation?: string };
  otherInfo?: { title?: string; description?: string };
  disableInfo?: Record<string, unknown>;
  category?: string;
}

export function readStatusDetail(detail: Record<string, unknown>): StatusDetail {
  const pick = (camel: string, snake: string) => (isRecord(detail[camel]) ? detail[camel] : isRecord(detail[snake]) ? detail[snake] : undefined) as Record<string, string> | undefined;
  const category = typeof detail.category === 'string' ? detail.category : typeof detail.message_template_category === 'string' ? detail.message_template_category : undefined;
  const out: StatusDetail = {};
  const rejectionInfo = pick('rejectionInfo', 'rejection_info');
  const otherInfo = pick('otherInfo', 'other_info');
  const disableInfo = pick('disableInfo', 'disable_info');
  if (rejectionInfo) out.rejectionInfo = rejectionInfo;
  if (otherInfo) out.otherInfo = otherInfo;
  if (disableInfo) out.disableInfo = disableInfo;
  if (category) out.category = category;
  return out;
}
