import type { RefusalCode } from '../../errors/refusal-codes.js';
import { SENDABLE_STATUSES } from '../status/provider-status.js';
import type { Backup } from '../store/template-records.js';

/** What the usability decision needs to know about one template. */
export interface TemplateFacts {
  id: string;
  name: string;
  language: string;
  providerStatus: string | null;
  liveVersionId: string | null;
  /** Body parameters of the live version; null without one. */
  bodyParameterCount: number | null;
  backup: Backup | null;
}

export interface UsabilityFacts {
  template: TemplateFacts | null;
  /** The backup template named by `template.backup`, when it is a template. */
  backupTemplate: TemplateFacts | null;
}

export type BackupTarget = { kind: 'template'; name: string; language: string } | { kind: 'channel'; channel: 'sms' | 'email' };

export type TemplateUsability =
  | { outcome: 'usable'; templateId: string; name: string; language: string }
  | { outcome: 'reroute'; to: BackupTarget; code: RefusalCode; reason: string }
  | { outcome: 'refuse'; code: RefusalCode; reason: string };

export const isSendable = (t: Pick<TemplateFacts, 'providerStatus' | 'liveVersionId'>): boolean => t.liveVersionId !== null && t.providerStatus !== null && SENDABLE_STATUSES.has(t.providerStatus);

function unusableCode(status: string | null): RefusalCode {
  if (status === 'PAUSED') return 'template_paused';
  if (status === 'DISABLED') return 'template_disabled';
  if (status === 'REJECTED') return 'template_rejected';
  return 'template_not_live';
}

/**
 * Can a send use this template now? Usable when a version is live and the provider status lets it send
 * (APPROVED, FLAGGED) and, if the caller counted its body parameters, the count matches. Otherwise the
 * configured backup takes the send (a backup template only when it is usable itself), or the send is
 * refused with a code that says why. Pure; `load-usability.ts` gathers the facts.
 */
export function decideTemplateUsability(facts: UsabilityFacts, request: { name: string; language: string; parameterCount?: number }): TemplateUsability {
  const t = facts.template;
  const label = `${request.name} (${request.language})`;
  if (!t) return { outcome: 'refuse', code: 'template_not_found', reason: `${label} is not a template of this WhatsApp Business Account in Parley; create it, or import it with POST /v1/templates/sync` };
  if (isSendable(t)) {
    if (request.parameterCount !== undefined && t.bodyParameterCount !== null && request.parameterCount !== t.bodyParameterCount) {
      return { outcome: 'refuse', code: 'template_parameters_mismatch', reason: `${label} takes ${t.bodyParameterCount} body parameter(s), the message has ${request.parameterCount}` };
    }
    return { outcome: 'usable', templateId: t.id, name: t.name, language: t.language };
  }
  const code = unusableCode(t.providerStatus);
  const why = t.liveVersionId === null ? `${label} has no version approved by the provider (status ${t.providerStatus ?? 'not submitted'})` : `${label} is ${t.providerStatus}`;
  const backup = t.backup;
  if (backup?.kind === 'channel') return { outcome: 'reroute', to: { kind: 'channel', channel: backup.channel }, code, reason: `${why}; rerouting to the backup channel ${backup.channel}` };
  if (backup?.kind === 'template') {
    const b = facts.backupTemplate;
    const backupLabel = `${backup.name} (${backup.language ?? t.language})`;
    if (b && isSendable(b)) return { outcome: 'reroute', to: { kind: 'template', name: b.name, language: b.language }, code, reason: `${why}; rerouting to the backup template ${backupLabel}` };
    return { outcome: 'refuse', code, reason: `${why}, and the backup template ${backupLabel} is not usable either (${b ? b.providerStatus ?? 'not submitted' : 'not found'})` };
  }
  return { outcome: 'refuse', code, reason: `${why} and no backup is configured` };
}
