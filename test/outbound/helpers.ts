import type { StorageFixture } from '../harness/storage.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import type { Clock } from '../../src/shared/time.js';
import { createSender, type NewSender } from '../../src/senders/sender-queries.js';
import { Dispatcher } from '../../src/outbound/dispatch/dispatcher.js';
import { GATES as OUTBOUND_GATES } from '../../src/main/modules.js';
import { normalizePhone } from '../../src/contacts/phone.js';
import { findOrCreateContactByPhone } from '../../src/contacts/contact-queries.js';
import { FakeProvider } from './fake-provider.js';

/** A workspace with one sender, an app, and a dispatcher sending through a fake provider. */
export async function pipeline(fx: StorageFixture, t: { after(fn: () => unknown): void }, options: { sender?: Partial<NewSender>; provider?: FakeProvider; config?: Record<string, unknown>; realAdapters?: boolean; clock?: Clock } = {}) {
  const base = fx.context(options.config);
  const ctx: ParleyContext = options.clock ? { ...base, clock: options.clock } : base;
  const { workspaceId, authorization } = await fx.workspace();
  const sender = await createSender(ctx.db, ctx.keyring, {
    workspaceId,
    name: 'main',
    provider: 'cloud',
    baseUrl: 'http://127.0.0.1:9',
    graphVersion: 'v23.0',
    phoneNumberId: `pn${Math.random().toString(36).slice(2, 10)}`,
    wabaId: 'waba1',
    credentials: { accessToken: 'token' },
    mps: 80,
    ...options.sender,
  });
  const provider = options.provider ?? new FakeProvider(sender.provider);
  const app = await fx.app(ctx);
  // The real Cloud API and UltraMsg adapters when the sender points at the emulator; a fake otherwise.
  const dispatcher = new Dispatcher(ctx, { gates: OUTBOUND_GATES, adapters: options.realAdapters ? undefined : { [sender.provider]: provider } });
  let started = false;
  const start = async () => {
    if (started) return;
    started = true;
    // The database is shared by the tests of a file: only this test's sender is active while it runs.
    await ctx.db.updateTable('senders').set({ status: 'disabled' }).where('id', '!=', sender.id).execute();
    dispatcher.start();
  };
  // Stop with the test: a dispatcher left running would take other tests' senders.
  t.after(() => (started ? dispatcher.stop() : undefined));
  const send = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/v1/messages', headers: { authorization, ...headers }, payload: body });
  const openWindow = async (phone: string, at = Date.now()) => {
    const contact = await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, normalizePhone(phone)!.e164);
    await ctx.db
      .insertInto('service_windows')
      .values({ sender_id: sender.id, contact_id: contact.id, last_inbound_at: at })
      .onConflict((oc) => oc.columns(['sender_id', 'contact_id']).doUpdateSet({ last_inbound_at: at }))
      .execute();
    return contact.id;
  };
  const status = async (id: string) => (await ctx.db.selectFrom('messages').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  return { ctx, app, workspaceId, authorization, sender, provider, dispatcher, start, send, openWindow, status };
}

export const template = (name = 'order_update', code = 'en_US', params: string[] = ['A1']) => ({
  type: 'template',
  template: { name, language: { code }, components: [{ type: 'body', parameters: params.map((text) => ({ type: 'text', text })) }] },
});

/** Records a marketing opt-in on WhatsApp for each number (what a shop's signup form would do). */
export async function grantMarketing(ctx: ParleyContext, workspaceId: string, phones: string[]): Promise<void> {
  const { appendConsentRecords } = await import('../../src/consent/ledger-queries.js');
  for (let i = 0; i < phones.length; i += 500) {
    const contacts = [];
    for (const phone of phones.slice(i, i + 500)) contacts.push(await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, normalizePhone(phone)!.e164));
    await appendConsentRecords(ctx.db, ctx.keyring, workspaceId, contacts.map((c) => ({ contactId: c.id, purpose: 'marketing' as const, channel: 'whatsapp' as const, status: 'granted' as const, source: 'web' as const, wording: 'Send me offers on WhatsApp', actor: { type: 'system' as const, id: 'test' } })));
  }
}
