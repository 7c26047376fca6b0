import { randomBytes } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import type { CloudNumber, EmulatorConfig, PersonaConfig, TemplateStatus, UltraMsgInstance } from '../types.js';
import { DEFAULT_BEHAVIOUR, DEFAULT_FAULTS, DEFAULT_LIMITS, DEFAULT_MEMORY, DEFAULT_PERSONA, DEFAULT_PERSONAS, DEFAULT_SEND_DELAY_MAX_MS, DEFAULT_SEND_DELAY_MS, DEFAULT_TEMPLATES, DEFAULT_WABA_ID } from './defaults.js';
import { EmulatorConfigInput, type BehaviourInput, type FaultsInput } from './schema.js';

/** A config file or option that does not match the schema; the message lists every problem with its path. */
export class EmulatorConfigError extends Error {
  override name = 'EmulatorConfigError';
}

/** Checks raw input against the schema and throws one error naming each bad field and what it must be. */
export function validateConfigInput(input: unknown, source = 'emulator config'): EmulatorConfigInput {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new EmulatorConfigError(`${source}: must be a JSON object.`);
  if (Value.Check(EmulatorConfigInput, input)) return input;
  const problems = [...Value.Errors(EmulatorConfigInput, input)].slice(0, 20).map((e) => {
    const where = e.path ? e.path.replace(/^\//, '').replace(/\//g, '.') : '(root)';
    const expected = (e.schema as { description?: string }).description;
    return `  ${where}: ${e.message}${expected ? ` (expected ${expected})` : ''}`;
  });
  throw new EmulatorConfigError(`${source} is invalid:\n${[...new Set(problems)].join('\n')}`);
}

const defaultNumbers = (): CloudNumber[] => [
  { phoneNumberId: '106540352242922', displayPhoneNumber: '15550783881', verifiedName: 'Parley Demo', qualityRating: 'GREEN', limits: { ...DEFAULT_LIMITS, throughputMps: 80, dailyUniqueRecipients: 2000 } },
  // Meta grants 1,000 mps only to numbers with an unlimited messaging tier.
  { phoneNumberId: '106540352242923', displayPhoneNumber: '15550783882', verifiedName: 'Parley Demo Bulk', qualityRating: 'GREEN', limits: { ...DEFAULT_LIMITS, throughputMps: 1000, dailyUniqueRecipients: null } },
];

export function mergeBehaviour(base: EmulatorConfig['behaviour'], input: BehaviourInput = {}): EmulatorConfig['behaviour'] {
  return {
    ...base,
    ...input,
    statusLatencyMs: { ...base.statusLatencyMs, ...input.statusLatencyMs },
    retry: { ...base.retry, ...input.retry },
    templateReview: { ...base.templateReview, ...input.templateReview },
  } as EmulatorConfig['behaviour'];
}

export function mergeFaults(base: EmulatorConfig['faults'], input: FaultsInput = {}): EmulatorConfig['faults'] {
  return { ...base, ...input };
}

/**
 * An instance's queue delays. Omitted: UltraMsg's defaults (1 s, 15 s). `sendDelayMs: 0` without a maximum
 * means no delay at all (the fast setting of tests and benchmarks); the maximum is never below the delay.
 */
export function sendDelays(delayMs: number | undefined, maxMs: number | undefined): { sendDelayMs: number; sendDelayMaxMs: number } {
  const sendDelayMs = delayMs ?? DEFAULT_SEND_DELAY_MS;
  const max = maxMs ?? (sendDelayMs === 0 ? 0 : DEFAULT_SEND_DELAY_MAX_MS);
  return { sendDelayMs, sendDelayMaxMs: Math.max(max, sendDelayMs) };
}

/** Validates the input and fills in every default. Secrets not given are generated. */
export function resolveConfig(raw: unknown = {}, overrides: { appSecret?: string } = {}): EmulatorConfig {
  const input = validateConfigInput(raw);
  const numbers: CloudNumber[] = input.numbers
    ? input.numbers.map((n, i) => ({
        phoneNumberId: n.phoneNumberId,
        displayPhoneNumber: n.displayPhoneNumber ?? `1555078${String(3881 + i).padStart(4, '0')}`,
        verifiedName: n.verifiedName ?? 'Parley Demo',
        qualityRating: n.qualityRating ?? 'GREEN',
        limits: { ...DEFAULT_LIMITS, ...n.limits },
      }))
    : defaultNumbers();
  const ids = numbers.map((n) => n.phoneNumberId);
  if (new Set(ids).size !== ids.length) throw new EmulatorConfigError('emulator config is invalid:\n  numbers: two numbers have the same phoneNumberId');

  const instances: UltraMsgInstance[] = (input.ultramsg?.instances ?? [{ instanceId: 'instance1150' }]).map((i, n) => ({
    instanceId: i.instanceId,
    phone: i.phone ?? `1017212717${n}`,
    name: i.name ?? 'Parley UltraMsg',
    ...sendDelays(i.sendDelayMs, i.sendDelayMaxMs),
    state: 'authenticated' as const,
    webhookMessageReceived: true,
    webhookMessageCreate: true,
    webhookMessageAck: true,
    webhookMessageDownloadMedia: true,
  }));

  const personas: Record<string, PersonaConfig> = { ...DEFAULT_PERSONAS };
  for (const [name, p] of Object.entries(input.personas ?? {})) personas[name] = { ...DEFAULT_PERSONA, ...p };

  const behaviour = mergeBehaviour(DEFAULT_BEHAVIOUR, input.behaviour);
  const customers = (input.customers ?? [{ phone: '16505551234', name: 'Sheena Nelson' }]).map((c) => ({
    phone: c.phone,
    name: c.name ?? 'WhatsApp User',
    undeliverable: c.undeliverable ?? false,
    blocked: c.blocked ?? false,
    optedOutOfMarketing: c.optedOutOfMarketing ?? false,
    persona: c.persona ?? null,
  }));
  for (const name of [behaviour.defaultPersona, ...customers.map((c) => c.persona)]) {
    if (name && !personas[name]) throw new EmulatorConfigError(`emulator config is invalid:\n  persona "${name}" is used but not defined (defined: ${Object.keys(personas).join(', ')})`);
  }

  return {
    wabaId: input.wabaId ?? DEFAULT_WABA_ID,
    accessToken: input.accessToken ?? `EAAG${randomBytes(24).toString('base64url')}`,
    appSecret: overrides.appSecret ?? input.appSecret ?? randomBytes(16).toString('hex'),
    numbers,
    ultramsgToken: input.ultramsg?.token ?? randomBytes(10).toString('hex'),
    ultramsgInstances: instances,
    templates: input.templates
      ? input.templates.map((t) => ({ ...t, status: (t.status ?? 'APPROVED') as TemplateStatus, quality: t.quality ?? 'GREEN', parameterFormat: t.parameterFormat ?? 'POSITIONAL', components: t.components as any }))
      : DEFAULT_TEMPLATES,
    customers,
    personas,
    behaviour,
    faults: mergeFaults(DEFAULT_FAULTS, input.faults),
    memory: { ...DEFAULT_MEMORY, ...input.memory },
  };
}
