import type { FastifyInstance } from 'fastify';
import type { EmulatorCore } from '../core.js';
import type { CloudNumber } from '../types.js';
import { checkToken, graph, graphPaths } from './auth.js';
import { unknownObject } from './errors.js';
import { mediaResource } from './media-routes.js';

const tierName = (limit: number | null) =>
  limit === null ? 'TIER_UNLIMITED' : ({ 50: 'TIER_50', 250: 'TIER_250', 1000: 'TIER_1K', 2000: 'TIER_2K', 10000: 'TIER_10K', 100000: 'TIER_100K' } as Record<number, string>)[limit] ?? `TIER_${limit}`;

const displayNumber = (digits: string) => (digits.length === 11 && digits.startsWith('1') ? `+1 ${digits.slice(1, 4)}-${digits.slice(4, 7)}-${digits.slice(7)}` : `+${digits}`);

/** `GET /{phone_number_id}`: the number's profile as Graph returns it. */
export function numberResource(number: CloudNumber) {
  return {
    verified_name: number.verifiedName,
    code_verification_status: 'VERIFIED',
    display_phone_number: displayNumber(number.displayPhoneNumber),
    quality_rating: number.qualityRating,
    platform_type: 'CLOUD_API',
    throughput: { level: number.limits.throughputMps >= 1000 ? 'HIGH' : 'STANDARD' },
    whatsapp_business_manager_messaging_limit: tierName(number.limits.dailyUniqueRecipients),
    id: number.phoneNumberId,
  };
}

/**
 * Graph objects by id: `GET /{id}` (a media id → its metadata; a phone number id → the number; the WABA id →
 * the account), `DELETE /{media_id}`, and `GET /{waba_id}/phone_numbers`.
 */
export function registerObjectRoutes(app: FastifyInstance, core: EmulatorCore): void {
  for (const url of graphPaths('/:id')) app.get<{ Params: { id: string } }>(url, (request, reply) =>
    graph(reply, () => {
      checkToken(core, request);
      const { id } = request.params;
      const media = core.state.media.get(id);
      if (media) return mediaResource(core, media);
      const number = core.number(id);
      if (number) return numberResource(number);
      if (id === core.config.wabaId) return { id, name: 'Parley Emulator WABA', currency: 'USD', timezone_id: '1', message_template_namespace: 'parley_emulator' };
      throw unknownObject(id, 'GET');
    }),
  );

  for (const url of graphPaths('/:id')) app.delete<{ Params: { id: string } }>(url, (request, reply) =>
    graph(reply, () => {
      checkToken(core, request);
      if (!core.state.media.delete(request.params.id)) throw unknownObject(request.params.id, 'DELETE');
      return { success: true };
    }),
  );

  for (const url of graphPaths('/:wabaId/phone_numbers')) app.get<{ Params: { wabaId: string } }>(url, (request, reply) =>
    graph(reply, () => {
      checkToken(core, request);
      if (request.params.wabaId !== core.config.wabaId) throw unknownObject(request.params.wabaId, 'GET');
      return { data: core.config.numbers.map(numberResource), paging: { cursors: { before: 'MAZDZD', after: 'MAZDZD' } } };
    }),
  );
}
