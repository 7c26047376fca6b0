import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestEmulator, template, waitFor, type TestEmulator } from './harness.js';

const code = (r: { body: any }) => r.body?.error?.code;

async function withEmulator(options: Parameters<typeof startTestEmulator>[0], body: (t: TestEmulator) => Promise<void>) {
  const t = await startTestEmulator(options);
  try {
    await body(t);
  } finally {
    await t.close();
  }
}

describe('emulator: request validation mirrors Meta', () => {
  it('answers 100 for limits and types, 131008 for missing fields, 131009 for unusable values, in Meta\'s envelope', () =>
    withEmulator({}, async (t) => {
      await t.control('POST', '/customers/16505551234/messages', { type: 'text', text: { body: 'hi' } });
      const to = '16505551234';
      const cases: Array<[number, Record<string, unknown>]> = [
        [131008, { to, type: 'text', text: {} }],
        [100, { to, type: 'text', text: { body: 'x'.repeat(4097) } }],
        [100, { to, type: 'image', image: { link: 'https://e.com/a.jpg', caption: 'c'.repeat(1025) } }],
        [131009, { to, type: 'image', image: { id: '123', link: 'https://e.com/a.jpg' } }],
        [131009, { to, type: 'image', image: { id: '999999' } }],
        [131008, { to, type: 'image', image: {} }],
        [100, { to, type: 'interactive', interactive: { type: 'button', body: { text: 'b' }, action: { buttons: [1, 2, 3, 4].map((n) => ({ type: 'reply', reply: { id: `i${n}`, title: `t${n}` } })) } } }],
        [100, { to, type: 'interactive', interactive: { type: 'button', body: { text: 'b' }, action: { buttons: [{ type: 'reply', reply: { id: 'i', title: 'x'.repeat(21) } }] } } }],
        [131009, { to, type: 'interactive', interactive: { type: 'button', body: { text: 'b' }, action: { buttons: [{ type: 'reply', reply: { id: 'same', title: 'A' } }, { type: 'reply', reply: { id: 'same', title: 'B' } }] } } }],
        [100, { to, type: 'interactive', interactive: { type: 'list', body: { text: 'b' }, action: { button: 'Pick', sections: [{ title: 's', rows: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` })) }] } } }],
        [100, { to, type: 'interactive', interactive: { type: 'list', body: { text: 'b' }, action: { button: 'Pick', sections: [{ title: 's', rows: [{ id: 'r', title: 'x'.repeat(25) }] }] } } }],
        [100, { to, type: 'interactive', interactive: { type: 'list', body: { text: 'b' }, action: { button: 'Pick', sections: [{ title: 's', rows: [{ id: 'r', title: 'ok', description: 'd'.repeat(73) }] }] } } }],
        [131008, { to, type: 'location', location: { longitude: 1 } }],
        [131009, { to, type: 'location', location: { latitude: 91, longitude: 1 } }],
        [100, { to, type: 'carrier_pigeon', carrier_pigeon: {} }],
        [131008, { type: 'text', text: { body: 'no recipient' } }],
      ];
      for (const [expected, body] of cases) {
        const r = await t.send(body);
        assert.equal(code(r), expected, JSON.stringify(body).slice(0, 120));
        assert.equal(r.body.error.message.startsWith(`(#${expected})`), true);
        assert.equal(r.body.error.error_data.messaging_product, 'whatsapp');
        assert.equal(typeof r.body.error.fbtrace_id, 'string');
      }
      assert.equal(code(await t.graph('POST', '/v21.0/106540352242922/messages', { to, type: 'text', text: { body: 'x' } })), 100, 'messaging_product is required');
      assert.equal(code(await t.graph('POST', '/v21.0/999/messages', { messaging_product: 'whatsapp', to, type: 'text', text: { body: 'x' } })), 100, 'unknown phone number id');
      const ok = await t.send({ to, type: 'interactive', interactive: { type: 'button', body: { text: 'b' }, action: { buttons: [1, 2, 3].map((n) => ({ type: 'reply', reply: { id: `i${n}`, title: 'x'.repeat(19) + n } })) } } });
      assert.equal(ok.status, 200, 'three buttons with 20-character titles are fine');
    }));

  it('mark-as-read answers {"success":true} for a received message and 131009 for an unknown one', () =>
    withEmulator({}, async (t) => {
      const inbound = await t.control('POST', '/customers/16505551234/messages', { type: 'text', text: { body: 'read me' } });
      const read = await t.send({ status: 'read', message_id: inbound.body.id, typing_indicator: { type: 'text' } });
      assert.deepEqual(read.body, { success: true });
      assert.equal(code(await t.send({ status: 'read', message_id: 'wamid.nope' })), 131009);
    }));
});

describe('emulator: control API', () => {
  it('shows what it received (with bodies) and counts duplicate sends by biz_opaque_callback_data', () =>
    withEmulator({}, async (t) => {
      const first = await t.send({ to: '16505550001', biz_opaque_callback_data: 'msg_1', ...template('hello_world') });
      await t.send({ to: '16505550002', biz_opaque_callback_data: 'msg_2', ...template('hello_world') });
      const again = await t.send({ to: '16505550001', biz_opaque_callback_data: 'msg_1', ...template('hello_world') });
      const received = (await t.control('GET', '/received?surface=cloud')).body;
      assert.equal(received.items.length, 3);
      assert.equal(received.items[0].body.biz_opaque_callback_data, 'msg_1');
      assert.equal(received.items[0].messageId, first.body.messages[0].id);
      const stats = (await t.control('GET', '/stats')).body;
      assert.equal(stats.duplicateSends, 1);
      assert.equal(stats.cloudSendsAccepted, 3);
      const duplicates = (await t.control('GET', '/duplicates')).body.items;
      assert.deepEqual([duplicates[0].key, duplicates[0].firstMessageId, duplicates[0].messageId], ['msg_1', first.body.messages[0].id, again.body.messages[0].id]);
      const next = (await t.control('GET', `/received?after=${received.items[2].seq}`)).body;
      assert.equal(next.items.length, 0, 'paging by sequence number');
      const message = (await t.control('GET', `/messages/${first.body.messages[0].id}`)).body;
      assert.equal(message.to, '16505550001');
      await t.control('POST', '/reset');
      assert.equal((await t.control('GET', '/stats')).body.duplicateSends, 0, 'reset clears the counters');
      assert.equal((await t.control('GET', '/received')).body.items.length, 0);
    }));

  it('pages forward: the oldest `limit` entries after the cursor, and a next cursor that skips nothing', () =>
    withEmulator({}, async (t) => {
      for (let i = 1; i <= 7; i++) await t.send({ to: `1650555000${i}`, biz_opaque_callback_data: `msg_${i}`, ...template('hello_world') });
      const seen: string[] = [];
      let cursor = 0;
      let pages = 0;
      for (;;) {
        const page = (await t.control('GET', `/received?surface=cloud&after=${cursor}&limit=3`)).body;
        pages++;
        assert.ok(page.items.length <= 3);
        seen.push(...page.items.map((e: any) => e.body.biz_opaque_callback_data));
        assert.ok(page.nextCursor >= cursor, 'the cursor only moves forward');
        cursor = page.nextCursor;
        if (!page.hasMore) break;
      }
      assert.deepEqual(seen, ['msg_1', 'msg_2', 'msg_3', 'msg_4', 'msg_5', 'msg_6', 'msg_7'], 'every entry once, oldest first');
      assert.equal(pages, 3);
      const first = (await t.control('GET', '/received?after=0&limit=2')).body;
      assert.deepEqual(first.items.map((e: any) => e.seq), [1, 2], 'the oldest after the cursor, not the newest');
      assert.equal(first.nextCursor, 2);
      assert.equal(first.hasMore, true);
      const filtered = (await t.control('GET', '/received?surface=ultramsg&after=0&limit=2')).body;
      assert.deepEqual([filtered.items.length, filtered.nextCursor, filtered.hasMore], [0, 7, false], 'entries the filter skips are passed over');
      const end = (await t.control('GET', `/received?after=${cursor}&limit=2`)).body;
      assert.deepEqual([end.items.length, end.nextCursor, end.hasMore], [0, cursor, false]);
    }));

  it('injects faults at runtime: 5xx, 131000, 131016, token expiry, slow answers and timeouts', () =>
    withEmulator({}, async (t) => {
      const body = { to: '16505550001', ...template('hello_world') };
      await t.control('PUT', '/faults', { http5xxRate: 1 });
      let r = await t.send(body);
      assert.equal(r.status, 500);
      assert.equal(code(r), 1);
      await t.control('PUT', '/faults', { http5xxRate: 0, error131000Rate: 1 });
      assert.equal(code(await t.send(body)), 131000);
      await t.control('PUT', '/faults', { error131000Rate: 0, error131016Rate: 1 });
      r = await t.send(body);
      assert.equal(r.status, 503);
      assert.equal(code(r), 131016);
      await t.control('PUT', '/faults', { error131016Rate: 0, tokenExpired: true });
      r = await t.send(body);
      assert.equal(r.status, 401);
      assert.equal(code(r), 190);
      assert.equal(code(await t.graph('GET', `/v21.0/${t.emu.info.phoneNumberIds[0]}`)), 190, 'every Graph call, not only sends');
      await t.control('PUT', '/faults', { tokenExpired: false, slowRate: 1, slowMs: 150 });
      const started = Date.now();
      assert.equal((await t.send(body)).status, 200);
      assert.ok(Date.now() - started >= 140, 'answered after the slow delay');
      await t.control('PUT', '/faults', { slowRate: 0, timeoutRate: 1, timeoutMs: 100 });
      await assert.rejects(t.send(body), 'the connection is closed without an answer');
      await t.control('PUT', '/faults', { timeoutRate: 0 });
      assert.equal((await t.send(body)).status, 200);
      const stats = (await t.control('GET', '/stats')).body;
      assert.ok(stats.faultsInjected >= 6);
      assert.equal((await t.control('PUT', '/faults', { http5xxRate: 2 })).status, 400, 'a rate above 1 is refused');
    }));

  it('changes per-number limits at runtime', () =>
    withEmulator({}, async (t) => {
      const pn = t.emu.info.phoneNumberIds[0];
      const set = await t.control('PUT', `/numbers/${pn}/limits`, { throughputMps: 2 });
      assert.equal(set.body.throughputMps, 2);
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await t.send({ to: `1650555000${i}`, ...template('hello_world') })).status);
      assert.ok(codes.includes(429), `a 2 mps limit refuses a burst of 4 (${codes})`);
      assert.equal((await t.control('PUT', `/numbers/${pn}/limits`, { throughputMps: 5000 })).status, 400, 'Meta allows up to 1,000 mps');
    }));

  it('personas answer deterministically for a seed: STOP to marketing, button presses, replies after a delay', async () => {
    const run = async (seed: number) => {
      const t = await startTestEmulator({ seed, config: { personas: { tester: { stopMarketingShare: 0.3, pressButtonShare: 0.5, replyShare: 0.5, replyText: 'ok!', replyDelayMs: [5, 20] } }, behaviour: { defaultPersona: 'tester' } } });
      try {
        for (let i = 0; i < 12; i++) await t.send({ to: `1650555${String(i).padStart(4, '0')}`, ...template('promo_offer', 'en_US', ['A', '5%', 'CODE']) });
        // Every status and persona reply is a scheduled timer: wait until none is left, then for delivery.
        await waitFor(() => t.emu.core.timers.size === 0 && t.emu.core.cloudBatcher.pending === 0, 'personas done', 10_000);
        await t.emu.flushWebhooks();
        return t
          .values()
          .flatMap((v) => v.messages ?? [])
          .map((m: any) => `${m.from}:${m.type}:${m.text?.body ?? m.button?.text}`)
          .sort();
      } finally {
        await t.close();
      }
    };
    const a = await run(7);
    const b = await run(7);
    assert.deepEqual(a, b, 'the same seed gives the same replies');
    assert.ok(a.some((r) => r.endsWith(':text:STOP')), `someone said STOP (${a})`);
    assert.ok(a.some((r) => r.includes(':button:')), `someone pressed a quick reply (${a})`);
  });

  it('a persona presses interactive buttons and replies with context pointing at the business message', () =>
    withEmulator({ config: { personas: { clicker: { pressButtonShare: 1, replyDelayMs: [0, 5] } }, customers: [{ phone: '16505551234', persona: 'clicker' }] } }, async (t) => {
      await t.control('POST', '/customers/16505551234/messages', { type: 'text', text: { body: 'menu please' } });
      const sent = await t.send({ to: '16505551234', type: 'interactive', interactive: { type: 'button', body: { text: 'Pick' }, action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }] } } });
      const reply = await waitFor(() => t.values().flatMap((v) => v.messages ?? []).find((m: any) => m.type === 'interactive'), 'the button reply');
      assert.deepEqual(reply.interactive, { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } });
      assert.equal(reply.context.id, sent.body.messages[0].id);
    }));

  it('customer actions: block makes sends fail with 131026; stop_marketing makes marketing fail with 131050', () =>
    withEmulator({}, async (t) => {
      await t.control('POST', '/customers/16505550050/actions', { action: 'block' });
      const blocked = await t.send({ to: '16505550050', ...template('hello_world') });
      const failed = await waitFor(() => t.statuses().find((s) => s.id === blocked.body.messages[0].id && s.status === 'failed'), 'failure');
      assert.equal(failed.errors[0].code, 131026);
      await t.control('POST', '/customers/16505550051/actions', { action: 'stop_marketing' });
      const promo = await t.send({ to: '16505550051', ...template('promo_offer', 'en_US', ['A', 'B', 'C']) });
      const f2 = await waitFor(() => t.statuses().find((s) => s.id === promo.body.messages[0].id && s.status === 'failed'), 'failure');
      assert.equal(f2.errors[0].code, 131050);
      assert.equal((await t.control('POST', '/customers/16505550051/actions', { action: 'explode' })).status, 400);
    }));

  it('template management: create validates like Meta, review webhooks follow the rules, delete by name', () =>
    // The review takes long enough that the send right after creation finds the template still pending on a busy machine.
    withEmulator({ behaviour: { templateReview: { delayMs: 1500 } } }, async (t) => {
      const path = `/v21.0/${t.emu.info.wabaId}/message_templates`;
      assert.equal(code(await t.graph('POST', path, { name: 'Bad Name', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'x' }] })), 100);
      assert.equal(code(await t.graph('POST', path, { name: 'no_example', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hello {{1}} there' }] })), 100);
      assert.equal(code(await t.graph('POST', path, { name: 'too_many', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'x' }, { type: 'BUTTONS', buttons: Array.from({ length: 11 }, (_, i) => ({ type: 'QUICK_REPLY', text: `b${i}` })) }] })), 100);
      const created = await t.graph('POST', path, { name: 'pickup_ready', language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hello {{1}}, your order is ready for pickup.', example: { body_text: [['Asha']] } }] });
      assert.equal(created.body.status, 'PENDING');
      assert.equal(code(await t.send({ to: '16505550001', ...template('pickup_ready', 'en_US', ['A']) })), 132001, 'pending templates cannot be sent');
      await waitFor(() => t.receiver.posts.find((p) => p.body.entry[0].changes[0].value.message_template_name === 'pickup_ready'), 'review');
      assert.equal((await t.send({ to: '16505550001', ...template('pickup_ready', 'en_US', ['A']) })).status, 200, 'approved templates can');
      assert.equal(code(await t.graph('POST', path, { name: 'pickup_ready', language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'dup' }] })), 100, 'a name and language exist once');
      assert.deepEqual((await t.graph('DELETE', `${path}?name=pickup_ready`)).body, { success: true });
      assert.equal(code(await t.send({ to: '16505550001', ...template('pickup_ready', 'en_US', ['A']) })), 132001);
    }));

  it('reports number info and answers bad tokens with 190', () =>
    withEmulator({}, async (t) => {
      const info = await t.graph('GET', `/v21.0/${t.emu.info.phoneNumberIds[1]}`);
      assert.equal(info.body.throughput.level, 'HIGH');
      assert.equal(info.body.id, t.emu.info.phoneNumberIds[1]);
      const r = await fetch(`${t.emu.info.url}/v21.0/${t.emu.info.phoneNumberIds[0]}/messages`, { method: 'POST', headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' }, body: '{}' });
      assert.equal(r.status, 401);
      assert.equal(((await r.json()) as any).error.code, 190);
    }));
});
