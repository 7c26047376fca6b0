import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describeStorage } from '../harness/storage.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import type { ParleyApp } from '../../src/http/types.js';
import { fixture, insertOutbound, insertSender, postCloud, processAll, webhookContext, withMessageId } from './helpers.js';

const MINUTE = 60_000;

describeStorage('webhook health: recency, lag and the "provider stopped calling us" alarm', (fx) => {
  let ctx: ParleyContext;
  let app: ParleyApp;
  let workspace: { workspaceId: string; authorization: string };
  let active: string;
  let silent: string;
  const silentPhone = `77${randomBytes(4).toString('hex')}`;

  const statusDelivery = (wamid: string, phoneNumberId?: string) => {
    const payload = JSON.parse(withMessageId(fixture('cloud-status-delivered.json'), wamid));
    if (phoneNumberId) payload.entry[0].changes[0].value.metadata.phone_number_id = phoneNumberId;
    payload.entry[0].changes[0].value.statuses[0].timestamp = String(Math.floor((Date.now() - 3000) / 1000));
    return JSON.stringify(payload);
  };

  before(async () => {
    ctx = webhookContext(fx, { webhookSilenceMinutes: 10, webhookSilenceLookbackMinutes: 60 });
    app = await fx.app(ctx);
    workspace = await fx.workspace(['webhooks:read']);
    active = await insertSender(fx.db, ctx.keyring, { workspaceId: workspace.workspaceId });
    silent = await insertSender(fx.db, ctx.keyring, { workspaceId: workspace.workspaceId, phoneNumberId: silentPhone });
    const wamid = `wamid.h.${randomBytes(4).toString('hex')}`;
    await insertOutbound(fx.db, { workspaceId: workspace.workspaceId, senderId: active, providerMessageId: wamid });
    assert.equal((await postCloud(app, statusDelivery(wamid))).statusCode, 200);
    await processAll(ctx);
    // The silent sender handed a message to the provider 20 minutes ago and has heard nothing since.
    const waiting = await insertOutbound(fx.db, { workspaceId: workspace.workspaceId, senderId: silent, providerMessageId: `wamid.wait.${randomBytes(4).toString('hex')}`, status: 'accepted' });
    await fx.db.updateTable('messages').set({ status_at: Date.now() - 20 * MINUTE }).where('id', '=', waiting).execute();
  });

  it('reports per sender when webhooks last came, their lag, and raises the alarm for the silent one', async () => {
    const res = await app.inject({ url: '/v1/webhooks/health', headers: { authorization: workspace.authorization } });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { data: Array<Record<string, any>>; silenceMinutes: number };
    assert.equal(body.silenceMinutes, 10);
    const a = body.data.find((s) => s.senderId === active)!;
    const s = body.data.find((x) => x.senderId === silent)!;
    assert.ok(Date.now() - Date.parse(a.lastWebhookAt) < MINUTE);
    assert.equal(a.lastStatusWebhookAt, a.lastWebhookAt);
    assert.ok(a.lastLagMs >= 2000 && a.lastLagMs < MINUTE, `lag from the status timestamp (${a.lastLagMs} ms)`);
    assert.equal(a.alarm, false);
    assert.equal(s.lastWebhookAt, null);
    assert.equal(s.alarm, true);
    assert.match(s.alarmReason, /no status webhook/);
  });

  it('exposes the same on /metrics, with delivery, status and lag metrics', async () => {
    const text = (await app.inject('/metrics')).body;
    assert.match(text, new RegExp(`parley_webhook_status_silence_alarm\\{sender="${silent}"\\} 1`));
    assert.match(text, new RegExp(`parley_webhook_status_silence_alarm\\{sender="${active}"\\} 0`));
    assert.match(text, new RegExp(`parley_webhook_last_received_timestamp_seconds\\{sender="${active}"\\} \\d+`));
    assert.match(text, /parley_webhook_deliveries_total\{provider="cloud",result="accepted"\} [1-9]/);
    assert.match(text, /parley_webhook_statuses_total\{provider="cloud",result="applied"\} [1-9]/);
    assert.match(text, new RegExp(`parley_webhook_event_lag_seconds_count\\{sender="${active}"\\} [1-9]`));
    assert.match(text, /parley_webhook_processing_lag_seconds_count\{provider="cloud"\} [1-9]/);
    assert.match(text, /parley_webhook_log_backlog\{state="pending"\} 0/);
  });

  it('the alarm clears once the provider calls again', async () => {
    await postCloud(app, statusDelivery(`wamid.any.${randomBytes(4).toString('hex')}`, silentPhone));
    await processAll(ctx);
    const body = (await app.inject({ url: '/v1/webhooks/health', headers: { authorization: workspace.authorization } })).json() as { data: Array<Record<string, any>> };
    assert.equal(body.data.find((s) => s.senderId === silent)!.alarm, false);
  });

  it('needs webhooks:read and shows only the caller’s workspace', async () => {
    const other = await fx.workspace(['webhooks:read']);
    const res = await app.inject({ url: '/v1/webhooks/health', headers: { authorization: other.authorization } });
    assert.deepEqual(res.json().data, []);
    const noScope = await fx.workspace(['messages:read']);
    assert.equal((await app.inject({ url: '/v1/webhooks/health', headers: { authorization: noScope.authorization } })).statusCode, 403);
  });
});
