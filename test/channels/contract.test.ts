import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startEmulator, type EmulatorInfo, type RunningEmulator } from '../../src/emulator/index.js';
import { HttpPools } from '../../src/channels/http-pools.js';
import type { ChannelAdapter, ChannelCapabilities, ErrorAction, OutboundRequest, RenderableTemplate } from '../../src/channels/port.js';
import type { ParleyError } from '../../src/errors/parley-error.js';
import { capabilitiesOf } from '../../src/channels/capabilities.js';
import type { ProviderName } from '../../src/channels/provider-name.js';
import { createChannelRegistry } from '../../src/channels/registry.js';
import type { WebhookItem } from '../../src/channels/webhook-items.js';
import type { Sender, SenderCommon, SenderCredentials } from '../../src/senders/sender-queries.js';
import { senderSettingsFrom, type SenderSettingsFields } from '../../src/channels/sender-identity.js';
import { ROOT } from '../harness/cli.js';

/**
 * The contract every channel adapter keeps, run against each adapter in CONTRACTS the way the storage
 * tests run against each dialect: it sends every message type the adapter claims (against the in-repo
 * emulator), classifies every documented error code of its provider, and reads every recorded webhook
 * fixture of its provider. Adding an adapter means adding one entry to CONTRACTS.
 */

type Action = ErrorAction['action'];

/** What a fixture must normalise to: each item's kind and its key fields. */
type FixtureExpectation = { file: string; items: Array<Partial<Record<'kind' | 'type' | 'status' | 'providerMessageId' | 'errorCode', string>>> };

interface Contract {
  provider: ProviderName;
  /** The capabilities the pipeline relies on (the rest of the record is checked for consistency). */
  capabilities: Partial<ChannelCapabilities>;
  /** A sender of this provider on the emulator, with its credentials. */
  sender(emulator: EmulatorInfo): { sender: Sender; credentials: SenderCredentials };
  /** A request of each type the adapter claims, beyond the shared defaults (what this provider needs). */
  requestOf?(type: string): Partial<OutboundRequest> | undefined;
  /** Every documented error code of the provider and what the dispatcher must do about it. */
  errors: Record<string, Action>;
  /** Fields beyond the action that some codes must carry (delays, attempt caps, suppression). */
  details?: Record<string, Record<string, unknown>>;
  /** Codes that say the provider as a whole is down (the rest of `errors` must not). */
  outages: string[];
  /** The provider's recorded webhook deliveries (test/fixtures/whatsapp/) and what each must read as. */
  fixtures: FixtureExpectation[];
  /** Headers the provider's deliveries are stored with. */
  headers: Record<string, string>;
}

const WAMID = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=';
const inbound = (type: string, providerMessageId = WAMID) => ({ kind: 'inbound', type, providerMessageId });
const status = (value: string, errorCode?: string) => ({ kind: 'status', status: value, providerMessageId: WAMID, ...(errorCode ? { errorCode } : {}) });

/** Codes every adapter reports alike for its transport. */
const TRANSPORT: Record<string, Action> = { network: 'retry', timeout: 'retry', malformed_response: 'retry', http_500: 'retry', http_503: 'retry', http_429: 'retry', http_400: 'permanent' };
const TRANSPORT_OUTAGES = ['network', 'timeout', 'http_500', 'http_503'];

/** A sender as `toSender` makes one, its provider settings given as the senders API names them. */
const baseSender = ({ provider = 'cloud', graphVersion = 'v23.0', phoneNumberId, instanceId, ...over }: Partial<SenderCommon> & { provider?: ProviderName } & SenderSettingsFields): Sender => ({
  id: 'snd_contract', workspaceId: 'ws', name: 'contract', baseUrl: 'http://127.0.0.1:9', wabaId: null,
  displayPhone: null, mps: 80, messagingLimit: null, portfolioId: 'p', status: 'active', quality: null, createdAt: 0, updatedAt: 0, ...over,
  ...senderSettingsFrom(provider, { graphVersion, phoneNumberId, instanceId }),
});

/** A request of each message type, in the stored (Cloud API) payload shape. */
const PAYLOADS: Record<string, Record<string, unknown>> = {
  text: { body: 'Hello from the contract suite' },
  template: { name: 'hello_world', language: { code: 'en_US' } },
  image: { link: 'https://example.com/image.jpg', caption: 'An image' },
  video: { link: 'https://example.com/video.mp4' },
  audio: { link: 'https://example.com/audio.ogg' },
  sticker: { link: 'https://example.com/sticker.webp' },
  document: { link: 'https://example.com/file.pdf', filename: 'file.pdf' },
  location: { latitude: 52.37, longitude: 4.89, name: 'Shop', address: 'Main St 1' },
  contacts: [{ name: { formatted_name: 'Ada Lovelace', first_name: 'Ada' }, phones: [{ phone: '+16505550000', type: 'CELL' }] }] as unknown as Record<string, unknown>,
  interactive: { type: 'button', body: { text: 'Pick one' }, action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }] } },
  reaction: { message_id: 'wamid.EARLIER', emoji: '👍' },
};

const CONTRACTS: Contract[] = [
  {
    provider: 'cloud',
    capabilities: { channel: 'whatsapp', providerTemplates: true, serviceWindow: true, pairRateLimit: true, tierLimit: true, statusEventTimes: true, linkedSession: false },
    sender: (emulator) => ({ sender: baseSender({ provider: 'cloud', baseUrl: emulator.url, phoneNumberId: emulator.phoneNumberIds[0]! }), credentials: { accessToken: emulator.accessToken } }),
    errors: {
      ...TRANSPORT,
      // Transient (the protocol notes' "retry" rows).
      '1': 'retry', '2': 'retry', '4': 'retry', '80007': 'retry', '131000': 'retry', '131016': 'retry', '131052': 'retry', '131053': 'retry',
      '130429': 'throttle',
      '131056': 'pair_delay',
      '131047': 'window_closed', '470': 'window_closed',
      '131049': 'retry_later', '131057': 'retry_later', '133016': 'retry_later', '132069': 'retry_later',
      // Permanent, 131050 with a marketing suppression.
      '0': 'permanent', '3': 'permanent', '10': 'permanent', '100': 'permanent', '190': 'permanent', '200': 'permanent', '299': 'permanent', '368': 'permanent',
      '130472': 'permanent', '130497': 'permanent', '131005': 'permanent', '131008': 'permanent', '131009': 'permanent', '131021': 'permanent', '131026': 'permanent',
      '131030': 'permanent', '131031': 'permanent', '131037': 'permanent', '131042': 'permanent', '131045': 'permanent', '131048': 'permanent', '131050': 'permanent',
      '131051': 'permanent', '132000': 'permanent', '132001': 'permanent', '132005': 'permanent', '132007': 'permanent', '132008': 'permanent', '132012': 'permanent',
      '132015': 'permanent', '132016': 'permanent', '132068': 'permanent', '135000': 'permanent', '999999': 'permanent',
    },
    details: {
      '131049': { delayMs: 6 * 60 * 60 * 1000, maxAttempts: 3 },
      '131057': { delayMs: 60_000, maxAttempts: 5 },
      '131052': { maxAttempts: 2 },
      '131053': { maxAttempts: 2 },
      '131050': { suppress: 'marketing' },
    },
    outages: [...TRANSPORT_OUTAGES, '1', '2', '131016'],
    headers: { 'content-type': 'application/json' },
    fixtures: [
      { file: 'cloud-text-message.json', items: [inbound('text')] },
      { file: 'cloud-image-message.json', items: [inbound('image')] },
      { file: 'cloud-button-quick-reply.json', items: [inbound('button')] },
      { file: 'cloud-interactive-button-reply.json', items: [inbound('interactive')] },
      { file: 'cloud-interactive-list-reply.json', items: [inbound('interactive')] },
      { file: 'cloud-location-message.json', items: [inbound('location')] },
      { file: 'cloud-order-message.json', items: [inbound('order')] },
      { file: 'cloud-reaction-message.json', items: [inbound('reaction')] },
      { file: 'cloud-system-user-changed-number.json', items: [inbound('system')] },
      { file: 'cloud-unsupported-message.json', items: [inbound('unsupported')] },
      { file: 'cloud-status-sent.json', items: [status('sent')] },
      { file: 'cloud-status-delivered.json', items: [status('delivered')] },
      { file: 'cloud-status-read.json', items: [status('read')] },
      { file: 'cloud-status-failed.json', items: [status('failed', '131049')] },
      { file: 'cloud-template-status-approved.json', items: [{ kind: 'template_update' }] },
      { file: 'cloud-template-status-rejected.json', items: [{ kind: 'template_update' }] },
      { file: 'cloud-template-quality-update.json', items: [{ kind: 'template_update' }] },
      { file: 'cloud-value-errors-130429.json', items: [{ kind: 'provider_error' }] },
      { file: 'extra/cloud-phone-number-quality-update.json', items: [{ kind: 'phone_quality' }] },
      { file: 'extra/cloud-text-message-dashboard-test.json', items: [inbound('text', 'ABGGFlA5Fpa')] },
    ],
  },
  {
    provider: 'ultramsg',
    // A linked WhatsApp account: no templates or 24-hour window of its own, and acks without event times.
    capabilities: { channel: 'whatsapp', providerTemplates: false, serviceWindow: false, pairRateLimit: false, tierLimit: false, statusEventTimes: false, linkedSession: true },
    sender: (emulator) => ({ sender: baseSender({ provider: 'ultramsg', baseUrl: emulator.url, instanceId: emulator.ultramsgInstanceIds[0]!, graphVersion: null }), credentials: { token: emulator.ultramsgToken } }),
    // UltraMsg has no templates: the pipeline renders the template's text first.
    requestOf: (type) => (type === 'template' ? { renderedText: 'Hello from a rendered template' } : type === 'reaction' ? { replyToProviderId: 'true_16505551234@c.us_3EB0EARLIER' } : undefined),
    errors: {
      ...TRANSPORT,
      ultramsg_rate: 'retry',
      ultramsg_auth: 'permanent', ultramsg_instance: 'permanent', ultramsg_suspended: 'permanent', ultramsg_invalid: 'permanent', ultramsg_unsupported: 'permanent',
      ultramsg_number_invalid: 'permanent', ultramsg_unsent: 'permanent', ultramsg_expired: 'permanent', ultramsg_error: 'permanent',
    },
    outages: TRANSPORT_OUTAGES,
    headers: { 'content-type': 'application/json' },
    fixtures: [
      { file: 'ultramsg-message-received.json', items: [inbound('text', 'false_10172127174@c.us_3EB02E5EB89CE03FB034')] },
      { file: 'ultramsg-message-ack.json', items: [{ kind: 'status', status: 'delivered', providerMessageId: 'true_10172127174@c.us_3EB0C767D26A1D1A2B3C' }] },
    ],
  },
];

const fixtureBody = (file: string) => readFileSync(path.join(ROOT, 'test/fixtures/whatsapp', file));

/** The key fields of an item, as the expectations name them. */
function keyFields(item: WebhookItem): Record<string, string | undefined> {
  const any = item as WebhookItem & { type?: string; status?: string; providerMessageId?: string; errors?: Array<{ code: string }> };
  return { kind: item.kind, type: any.type, status: any.status, providerMessageId: any.providerMessageId, errorCode: any.errors?.[0]?.code };
}

describe('channel adapter contract', () => {
  let emulator: RunningEmulator;
  const pools = new HttpPools(8);
  const registry = createChannelRegistry(pools, { graphVersion: 'v23.0' });
  before(async () => {
    emulator = await startEmulator({});
  });
  after(async () => {
    await registry.close();
    await pools.close();
    await emulator.close();
  });

  it('every provider has a contract entry, and the registry finds its adapter by provider and by sender', () => {
    assert.deepEqual(registry.all().map((a) => a.provider).sort(), CONTRACTS.map((c) => c.provider).sort());
    for (const contract of CONTRACTS) {
      assert.equal(registry.byProvider(contract.provider).provider, contract.provider);
      assert.equal(registry.forSender({ provider: contract.provider }).provider, contract.provider);
    }
  });

  for (const contract of CONTRACTS) {
    describe(contract.provider, () => {
      const adapter = (): ChannelAdapter => registry.byProvider(contract.provider);

      it('declares its capabilities', () => {
        const { capabilities } = adapter();
        assert.equal(capabilitiesOf(contract.provider), capabilities, 'capabilitiesOf(provider) is the adapter\'s own record');
        for (const [key, value] of Object.entries(contract.capabilities)) assert.equal(capabilities[key as keyof ChannelCapabilities], value, key);
        assert.ok(['whatsapp', 'sms', 'email'].includes(capabilities.channel));
        assert.ok(capabilities.messageTypes.includes('text'), 'every channel sends text');
        for (const type of capabilities.messageTypes) assert.ok(PAYLOADS[type], `the contract suite has no ${type} payload: add one`);
        // A channel without provider templates renders them as text (the pipeline sends `renderedText`).
        if (!capabilities.providerTemplates && capabilities.messageTypes.includes('template')) assert.ok(contract.requestOf?.('template')?.renderedText);
      });

      it('has the optional parts its capabilities promise (callers ask for the part, not the provider)', () => {
        const a = adapter();
        assert.equal(Boolean(a.session), a.capabilities.linkedSession, 'a linked session has its session part (status, QR, what a status needs)');
        assert.equal(Boolean(a.templates), a.capabilities.providerTemplates, 'provider templates come with template management');
        assert.equal(Boolean(a.renderTemplate), !a.capabilities.providerTemplates, 'a channel without provider templates renders them (and one with them does not)');
        if (a.listByState) assert.ok(a.givenUpStates && a.listedStatus, 'a provider queue that can be listed says which states end a message and what they mean');
      });

      // Only a channel without provider templates renders them (the test above checks the others have no renderer).
      if (!capabilitiesOf(contract.provider).providerTemplates) it('renders a template as text where it has no provider templates, refusing one Parley holds no live version of', () => {
        const a = adapter();
        const render = a.renderTemplate!.bind(a);
        const send = { name: 'order_update', language: 'en', components: [{ type: 'body', parameters: [{ type: 'text', text: 'Asha' }, { type: 'text', text: 'A123' }] }] };
        const template: RenderableTemplate = { name: 'order_update', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi {{1}}, order {{2}} has shipped.' }] };
        assert.equal(render(send, template), 'Hi Asha, order A123 has shipped.');
        assert.throws(() => render({ ...send, components: [] }, template), (e: ParleyError) => e.code === 'TEMPLATE_PARAMETERS_MISMATCH');
        assert.throws(() => render(send, undefined), (e: ParleyError) => e.code === 'TEMPLATE_RENDER_UNSUPPORTED' && e.field === '/template/name');
      });

      it('sends every message type it claims, each accepted with a provider id', async () => {
        await fetch(`${emulator.info.url}/_emulator/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ windowErrors: 'webhook' }) });
        const { sender, credentials } = contract.sender(emulator.info);
        for (const [i, type] of adapter().capabilities.messageTypes.entries()) {
          const request: OutboundRequest = { messageId: `msg_CONTRACT${contract.provider}${i}`, to: '+16505551234', type, payload: PAYLOADS[type]!, lane: 'transactional', ...contract.requestOf?.(type) };
          const outcome = await adapter().send(sender, credentials, request);
          assert.ok(outcome.ok && outcome.providerMessageId.length > 0, `${type}: ${JSON.stringify(outcome)}`);
        }
      });

      it('refuses what it does not claim without calling the provider, as a permanent error', async () => {
        const unclaimed = Object.keys(PAYLOADS).filter((type) => !adapter().capabilities.messageTypes.includes(type));
        const { sender, credentials } = contract.sender(emulator.info);
        for (const type of unclaimed) {
          const outcome = await adapter().send({ ...sender, baseUrl: 'http://127.0.0.1:1' }, credentials, { messageId: 'msg_CONTRACTX', to: '+16505551234', type, payload: PAYLOADS[type]!, lane: 'transactional' });
          assert.ok(!outcome.ok, type);
          assert.equal(adapter().classifyError(outcome.error).action, 'permanent', `${type}: ${outcome.error.code}`);
        }
      });

      it('a wrong credential is a permanent error', async () => {
        const { sender } = contract.sender(emulator.info);
        const outcome = await adapter().send(sender, { accessToken: 'wrong', token: 'wrong' }, { messageId: 'msg_CONTRACTY', to: '+16505551234', type: 'text', payload: PAYLOADS.text!, lane: 'transactional' });
        assert.ok(!outcome.ok, JSON.stringify(outcome));
        assert.equal(adapter().classifyError(outcome.error).action, 'permanent', outcome.error.code);
      });

      it('classifies each documented error code into its action', () => {
        for (const [code, action] of Object.entries(contract.errors)) {
          const result = adapter().classifyError({ code, title: `title of ${code}` });
          assert.equal(result.action, action, code);
          // The reason is stored with the failed message: it names the code (the window's names Meta's current 131047 for the legacy 470 too).
          assert.match(result.reason, new RegExp(action === 'window_closed' ? '131047' : code.replace(/[^\w]/g, '.')), `${code}: the reason names the code`);
        }
      });

      it('carries the delay, attempt cap or suppression some codes call for', () => {
        for (const [code, fields] of Object.entries(contract.details ?? {})) {
          const result = adapter().classifyError({ code, title: '' }) as Record<string, unknown>;
          for (const [field, value] of Object.entries(fields)) assert.equal(result[field], value, `${code}: ${field}`);
        }
      });

      it('says which errors are an outage of the provider as a whole', () => {
        for (const code of Object.keys(contract.errors)) assert.equal(adapter().isOutage({ code }), contract.outages.includes(code), code);
      });

      it('normalises each recorded webhook fixture of its provider', () => {
        for (const fixture of contract.fixtures) {
          const items = adapter().normalizeDelivery({ body: fixtureBody(fixture.file), headers: contract.headers, senderId: 'snd_contract', receivedAt: 1_700_000_000_000 });
          assert.equal(items.length, fixture.items.length, fixture.file);
          for (const [i, expected] of fixture.items.entries()) {
            const actual = keyFields(items[i]!);
            for (const [field, value] of Object.entries(expected)) assert.equal(actual[field], value, `${fixture.file} item ${i}: ${field}`);
          }
        }
      });
    });
  }
});
