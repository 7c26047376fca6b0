import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { StorageFixture } from '../harness/storage.js';
import { pipeline } from '../outbound/helpers.js';
import { waitFor } from '../outbound/fake-provider.js';
import { APP_SECRET } from '../webhooks/helpers.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { WebhookProcessor } from '../../src/webhooks/processor.js';
import { openProviderId } from '../../src/messages/provider-ids.js';
import { makeUser, signIn } from '../people/helpers.js';

/**
 * A workspace whose sender is one of the emulator's numbers, with the real Cloud API adapter and
 * dispatcher, a listening app the emulator posts its signed webhooks to, and a running webhook
 * processor. `sentToEmulator` waits until a message is sent and returns what the emulator received.
 */
export async function emulatorPipeline(fx: StorageFixture, t: { after(fn: () => unknown): void }, emulator: RunningEmulator, number: number, config: Record<string, unknown> = {}) {
  const phoneNumberId = emulator.info.phoneNumberIds[number]!;
  const p = await pipeline(fx, t, {
    realAdapters: true,
    config: { whatsappAppSecrets: APP_SECRET, ...config },
    sender: { baseUrl: emulator.info.url, phoneNumberId, wabaId: emulator.info.wabaId, credentials: { accessToken: emulator.info.accessToken }, mps: 200 },
  });
  await p.app.listen({ port: 0, host: '127.0.0.1' });
  emulator.setWebhookUrls({ cloud: `http://127.0.0.1:${(p.app.server.address() as AddressInfo).port}/webhooks/whatsapp/cloud` });
  const processor = new WebhookProcessor(p.ctx);
  processor.start();
  t.after(() => processor.stop());
  const sentToEmulator = async (messageId: string) => {
    let wamid: string | null = null;
    await waitFor(async () => (wamid = await openProviderId(p.ctx.keyring, p.workspaceId, (await p.ctx.db.selectFrom('messages').select('provider_id_sealed').where('id', '=', messageId).executeTakeFirstOrThrow()).provider_id_sealed)) !== null, 10_000, 'the send');
    return emulator.core.state.messages.get(wamid!)!;
  };
  return { p, phoneNumberId, sentToEmulator };
}

type Pipeline = Awaited<ReturnType<typeof emulatorPipeline>>['p'];

/**
 * The API as a scene's steps call it (with the workspace's API key unless told otherwise), and the
 * sender's conversations routed to a team whose queue is balanced, with one agent in it, signed in
 * and online (`asAgent` is the agent's session).
 */
export async function supportTeamWithOnlineAgent(p: Pipeline, number: number) {
  const key = { authorization: p.authorization };
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, headers: Record<string, string>, payload?: unknown) => p.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const ok = async (method: 'POST' | 'PUT' | 'PATCH', url: string, payload: unknown, headers: Record<string, string> = key) => {
    const res = await call(method, url, headers, payload);
    assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const get = async (url: string) => (await call('GET', url, key)).json();

  const team = await ok('POST', '/v1/teams', { name: `Support ${number}` });
  await ok('PUT', `/v1/assignment-policies/sender/${p.sender.id}`, { teamId: team.id });
  await ok('PUT', `/v1/assignment-policies/team/${team.id}`, { mode: 'balanced' });
  const agent = await makeUser(p.ctx, p.workspaceId, 'agent');
  await ok('PATCH', `/v1/users/${agent.id}`, { teams: [team.id] });
  const signed = await signIn(p.app, agent.email);
  const asAgent = { cookie: signed.cookie, 'x-csrf-token': signed.csrfToken };
  await ok('PUT', '/v1/agents/me/presence', { presence: 'online' }, asAgent);
  return { key, call, ok, get, team, agent, asAgent };
}
