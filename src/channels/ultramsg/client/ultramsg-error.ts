import type { ProviderError } from '../../port.js';

/**
 * Classifies UltraMsg's error bodies, which are free text (`{"error":"Wrong token..."}`) or a list of
 * field problems (`{"error":[{"to":"is required"}]}`), into stable codes the retry policy understands.
 */
export function parseUltraMsgError(status: number, body: any): ProviderError {
  const raw = body?.error ?? body?.message;
  const text = Array.isArray(raw) ? raw.map((e) => Object.entries(e).map(([k, v]) => `${k} ${v}`).join(', ')).join('; ') : String(raw ?? `HTTP ${status}`);
  const lower = text.toLowerCase();
  let code = 'ultramsg_error';
  if (status === 401 || lower.includes('token')) code = 'ultramsg_auth';
  else if (status === 404 || lower.includes('instance not found')) code = 'ultramsg_instance';
  else if (lower.includes('stopped') || lower.includes('payment') || lower.includes('expired')) code = 'ultramsg_suspended';
  else if (status === 429) code = 'ultramsg_rate';
  else if (status >= 500) code = `http_${status}`;
  else if (Array.isArray(raw) || lower.includes('invalid') || lower.includes('required')) code = 'ultramsg_invalid';
  return { code, title: text, httpStatus: status };
}
