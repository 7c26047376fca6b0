import { request } from 'undici';
import { ParleyError } from '../../../errors/parley-error.js';
import { SECOND } from '../../../shared/time.js';
import { isRecord } from '../../read-json.js';
import { graphUrl, type GraphConnection } from './graph-connection.js';
import { graphErrorToParley } from './graph-errors.js';
import { parseGraphJson } from './graph-json.js';
import type { CreatedTemplate, ProviderTemplate, ProviderTemplates, TemplateAccount } from '../../port.js';
import type { Sender, SenderCredentials } from '../../sender.js';
import { cloudSettingsOf } from '../settings.js';

/** A template as Meta lists it. */
export type { ProviderTemplate };

export type CreateResult = CreatedTemplate;

const TIMEOUT = 15 * SECOND;
const LIST_FIELDS = 'id,name,language,status,category,components,rejected_reason,quality_score';
/** Safety stop for paging a WABA's templates (Meta's cap is 6,000 templates per WABA). */
const MAX_PAGES = 100;

async function call(method: 'GET' | 'POST' | 'DELETE', url: string, connection: GraphConnection, body?: unknown): Promise<Record<string, unknown>> {
  let response;
  try {
    response = await request(url, {
      method,
      headers: { authorization: `Bearer ${connection.accessToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: TIMEOUT,
      bodyTimeout: TIMEOUT,
    });
  } catch (error) {
    throw new ParleyError('TEMPLATE_PROVIDER_UNAVAILABLE', { message: `The provider could not be reached: ${(error as Error).message}`, cause: error });
  }
  const text = await response.body.text();
  let parsed: unknown;
  try {
    parsed = parseGraphJson(text);
  } catch {
    parsed = undefined;
  }
  if (response.statusCode >= 400 || (isRecord(parsed) && isRecord(parsed.error))) throw graphErrorToParley(response.statusCode, parsed);
  if (!isRecord(parsed)) throw new ParleyError('TEMPLATE_PROVIDER_UNAVAILABLE', { message: `The provider answered HTTP ${response.statusCode} with a body that is not a JSON object.` });
  return parsed;
}

/** `POST /{waba_id}/message_templates` with Meta's create body. */
export async function createMessageTemplate(connection: GraphConnection, body: Record<string, unknown>): Promise<CreateResult> {
  const result = await call('POST', graphUrl(connection, `${connection.wabaId}/message_templates`), connection, body);
  if (result.id === undefined || typeof result.status !== 'string') {
    throw new ParleyError('TEMPLATE_PROVIDER_UNAVAILABLE', { message: 'The provider accepted the template but did not return its id and status.' });
  }
  return { id: String(result.id), status: result.status, category: typeof result.category === 'string' ? result.category : undefined };
}

/** `POST /{template_id}`: Meta's edit of an existing template (a later version of it). */
export async function editMessageTemplate(connection: GraphConnection, templateId: string, body: { category?: string; components: unknown[] }): Promise<void> {
  await call('POST', graphUrl(connection, templateId), connection, body);
}

function toProviderTemplate(raw: unknown): ProviderTemplate | undefined {
  if (!isRecord(raw) || typeof raw.name !== 'string' || typeof raw.language !== 'string' || typeof raw.status !== 'string') return undefined;
  const quality = isRecord(raw.quality_score) && typeof raw.quality_score.score === 'string' ? raw.quality_score.score : undefined;
  return {
    id: String(raw.id),
    name: raw.name,
    language: raw.language,
    status: raw.status,
    category: typeof raw.category === 'string' ? raw.category : 'UTILITY',
    components: Array.isArray(raw.components) ? raw.components : [],
    rejectedReason: typeof raw.rejected_reason === 'string' ? raw.rejected_reason : undefined,
    qualityScore: quality,
  };
}

/** `GET /{waba_id}/message_templates`, following Meta's cursor paging to the end. */
export async function listMessageTemplates(connection: GraphConnection, options: { name?: string; pageSize?: number } = {}): Promise<ProviderTemplate[]> {
  const out: ProviderTemplate[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await call('GET', graphUrl(connection, `${connection.wabaId}/message_templates`, { fields: LIST_FIELDS, limit: String(options.pageSize ?? 100), name: options.name, after }), connection);
    for (const raw of Array.isArray(result.data) ? result.data : []) {
      const template = toProviderTemplate(raw);
      if (template) out.push(template);
    }
    const paging = isRecord(result.paging) ? result.paging : {};
    const cursor = isRecord(paging.cursors) && typeof paging.cursors.after === 'string' ? paging.cursors.after : undefined;
    if (!paging.next || !cursor) break;
    after = cursor;
  }
  return out;
}

/** `DELETE /{waba_id}/message_templates?name=…[&hsm_id=…]`: with the id, only that translation goes. */
export async function deleteMessageTemplate(connection: GraphConnection, ref: { name: string; hsmId?: string }): Promise<void> {
  await call('DELETE', graphUrl(connection, `${connection.wabaId}/message_templates`, { name: ref.name, hsm_id: ref.hsmId }), connection);
}

/** Template management through the Graph API, as one Cloud API sender of the WABA (any of its senders' tokens will do). */
export class CloudTemplates implements ProviderTemplates {
  readonly #defaultVersion: string;

  constructor(defaultGraphVersion: string) {
    this.#defaultVersion = defaultGraphVersion;
  }

  /** A sender that names no Graph version uses the default (PARLEY_GRAPH_VERSION). */
  account(sender: Sender, credentials: SenderCredentials, wabaId: string): TemplateAccount {
    if (!credentials.accessToken) throw new ParleyError('TEMPLATE_NO_SENDER_FOR_WABA', { message: 'The Cloud API sender of this WABA has no access token.', details: { wabaId, senderId: sender.id } });
    const connection: GraphConnection = { baseUrl: sender.baseUrl, graphVersion: cloudSettingsOf(sender).graphVersion ?? this.#defaultVersion, wabaId, accessToken: credentials.accessToken };
    return {
      create: (body) => createMessageTemplate(connection, body),
      edit: (templateId, body) => editMessageTemplate(connection, templateId, body),
      list: (options) => listMessageTemplates(connection, options),
      delete: (ref) => deleteMessageTemplate(connection, ref),
    };
  }
}
