import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { findOrCreateContactByPhone } from '../../src/contacts/contact-queries.js';
import { preferenceLink } from '../../src/preferences/preference-link.js';

describeStorage('preference centre over HTTP', (fx) => {
  async function setUp(publicUrl?: string) {
    const ctx = fx.context(publicUrl ? { publicUrl } : {});
    const app = await fx.app(ctx);
    const ws = await fx.workspace();
    const { id } = await findOrCreateContactByPhone(ctx.db, ctx.keyring, ws.workspaceId, '+5511987652222');
    return { ctx, app, ws, contactId: id };
  }

  it('creates a signed link on the public URL, and the page shows the current choices in the contact language', async () => {
    const t = await setUp('https://prefs.example.com/');
    await t.app.inject({ method: 'PATCH', url: `/v1/contacts/${t.contactId}`, headers: { authorization: t.ws.authorization }, payload: { language: 'pt-BR' } });
    await t.app.inject({ method: 'POST', url: `/v1/contacts/${t.contactId}/consent`, headers: { authorization: t.ws.authorization }, payload: { purpose: 'marketing', channel: 'sms', status: 'granted' } });
    const res = await t.app.inject({ method: 'POST', url: `/v1/contacts/${t.contactId}/preference-link`, headers: { authorization: t.ws.authorization }, payload: { ttlSeconds: 3600 } });
    assert.equal(res.statusCode, 201, res.body);
    const { url, expiresAt } = res.json();
    assert.match(url, /^https:\/\/prefs\.example\.com\/preferences\/v1\.[0-9A-Z]{26}\.[0-9A-Z]{26}\.[0-9a-z]+\.[\w-]{22}$/);
    assert.ok(Math.abs(Date.parse(expiresAt) - Date.now() - 3_600_000) < 60_000);
    const page = await t.app.inject({ url: new URL(url).pathname });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.body, /<html lang="pt" dir="ltr">/);
    assert.match(page.body, /Suas preferências de mensagens/);
    assert.match(page.body, /•••• 2222/);
    assert.ok(!page.body.includes('987652222'), 'the page does not show the whole number');
    assert.match(page.body, /name="marketing\.sms" value="on" checked/);
    assert.match(page.body, /name="marketing\.whatsapp" value="on" aria/, 'marketing without an opt-in is unticked');
    assert.match(page.body, /name="utility\.whatsapp" value="on" checked/, 'utility under the implicit policy is ticked');
    assert.ok(!/<script/i.test(page.body), 'no JavaScript');
  });

  it('saving records only the changed boxes, with source web and proof, then shows the saved notice', async () => {
    const t = await setUp();
    const { url } = (await t.app.inject({ method: 'POST', url: `/v1/contacts/${t.contactId}/preference-link`, headers: { authorization: t.ws.authorization, host: 'parley.local:8080' } })).json();
    assert.match(url, /^http:\/\/parley\.local:8080\/preferences\//, 'without a public URL the request host is used');
    const path = new URL(url).pathname;
    // Tick marketing on WhatsApp, untick utility by e-mail; leave the rest as shown.
    const form = new URLSearchParams();
    for (const purpose of ['utility', 'authentication', 'service']) for (const channel of ['whatsapp', 'sms', 'email']) if (!(purpose === 'utility' && channel === 'email')) form.set(`${purpose}.${channel}`, 'on');
    form.set('marketing.whatsapp', 'on');
    form.set('submitted', '1');
    const saved = await t.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'TestPhone/2.0' }, payload: form.toString() });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `${path.split('/').pop()}?saved=1`, 'relative to the page, so a path prefix keeps working');
    assert.equal(new URL(saved.headers.location as string, url).pathname, path);
    const history = (await t.app.inject({ url: `/v1/contacts/${t.contactId}/consent/history`, headers: { authorization: t.ws.authorization } })).json().records;
    assert.deepEqual(history.map((r: { purpose: string; channel: string; status: string }) => `${r.purpose}/${r.channel}/${r.status}`).sort(), ['marketing/whatsapp/granted', 'utility/email/withdrawn']);
    for (const r of history) {
      assert.equal(r.source, 'web');
      assert.equal(r.proof.formId, 'parley-preference-centre-v1');
      assert.equal(r.proof.userAgent, 'TestPhone/2.0');
      assert.ok(r.proof.ip);
      assert.deepEqual(r.actor, { type: 'customer', id: t.contactId });
      assert.match(r.wording, /Preference centre \(en\)/);
    }
    const after = await t.app.inject({ url: `${path}?saved=1` });
    assert.match(after.body, /role="status">Your choices were saved\./);
    assert.match(after.body, /name="marketing\.whatsapp" value="on" checked/);
    // Submitting the same choices again records nothing.
    const same = await t.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form.toString() });
    assert.equal(same.headers.location, `${path.split('/').pop()}?saved=0`);
    assert.equal((await t.app.inject({ url: `/v1/contacts/${t.contactId}/consent/history`, headers: { authorization: t.ws.authorization } })).json().records.length, 2);
  });

  it('an expired, tampered or malformed link gets a clear page with a 4xx status, and changes nothing', async () => {
    const t = await setUp();
    const expired = preferenceLink(t.ctx.keyring, 'http://x', { workspaceId: t.ws.workspaceId, contactId: t.contactId }, Date.now() - 10_000, 5_000);
    const expiredPage = await t.app.inject({ url: new URL(expired.url).pathname, headers: { 'accept-language': 'es-MX,es;q=0.9' } });
    assert.equal(expiredPage.statusCode, 410);
    assert.match(expiredPage.body, /Este enlace ha caducado/);
    const good = new URL(preferenceLink(t.ctx.keyring, 'http://x', { workspaceId: t.ws.workspaceId, contactId: t.contactId }, Date.now()).url).pathname;
    const tampered = good.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const tamperedPage = await t.app.inject({ url: tampered });
    assert.equal(tamperedPage.statusCode, 403);
    assert.match(tamperedPage.body, /This link is not valid/);
    const post = await t.app.inject({ method: 'POST', url: tampered, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'marketing.whatsapp=on' });
    assert.equal(post.statusCode, 403);
    const malformed = await t.app.inject({ url: '/preferences/not-a-token' });
    assert.equal(malformed.statusCode, 400);
    assert.match(malformed.body, /<h1>This link is not valid<\/h1>/);
    assert.equal((await t.app.inject({ url: `/v1/contacts/${t.contactId}/consent/history`, headers: { authorization: t.ws.authorization } })).json().records.length, 0);
    // A link to a contact that was erased since.
    await t.app.inject({ method: 'DELETE', url: `/v1/contacts/${t.contactId}`, headers: { authorization: t.ws.authorization } });
    const gone = await t.app.inject({ url: good });
    assert.equal(gone.statusCode, 410);
    assert.match(gone.body, /These preferences no longer exist/);
    const link = await t.app.inject({ method: 'POST', url: `/v1/contacts/${t.contactId}/preference-link`, headers: { authorization: t.ws.authorization } });
    assert.equal(link.statusCode, 410);
  });
});
