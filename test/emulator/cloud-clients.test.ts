import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GraphApiError, WhatsAppClient } from '@kapso/whatsapp-cloud-api';
import { WhatsAppAPI } from 'whatsapp-api-js';
import { WhatsAppBusinessSDK, WhatsAppBusinessSDKError } from '@microfox/whatsapp-business';
import { Image, Interactive, ActionButtons, Button, Body, Header, Footer, ActionList, ListSection, Row, Location, Template, Language, BodyComponent, BodyParameter, Text } from 'whatsapp-api-js/messages';
import { startTestEmulator, waitFor, type TestEmulator } from './harness.js';

// Two independent Cloud API clients from the npm registry, pointed at the emulator: @kapso/whatsapp-cloud-api
// through its `baseUrl` option, whatsapp-api-js through a fetch that rewrites Meta's host.

describe('independent Cloud API clients against the emulator', () => {
  let t: TestEmulator;
  let kapso: WhatsAppClient;
  let wa: WhatsAppAPI;
  let pn: string;
  const to = '16505551234';

  before(async () => {
    t = await startTestEmulator();
    pn = t.emu.info.phoneNumberIds[0];
    kapso = new WhatsAppClient({ accessToken: t.emu.info.accessToken, baseUrl: t.emu.info.url, graphVersion: 'v23.0' });
    const redirect: typeof fetch = (input, init) => fetch(String(input).replace('https://graph.facebook.com', t.emu.info.url), init);
    wa = new WhatsAppAPI({ token: t.emu.info.accessToken, appSecret: t.emu.info.appSecret, v: 'v24.0', ponyfill: { fetch: redirect } });
    // Free-form messages need an open service window: the customer writes first.
    await t.control('POST', `/customers/${to}/messages`, { type: 'text', text: { body: 'Hi!' } });
  });
  after(() => t.close());

  it('kapso: text, template, uploaded image, link image, reply buttons, list and location are accepted with wamids and reach "read"', async () => {
    const ids: string[] = [];
    const push = (r: { messages: Array<{ id: string }> }) => ids.push(r.messages[0].id);
    push(await kapso.messages.sendText({ phoneNumberId: pn, to: `+${to}`, body: 'Hello from kapso' }));
    push(await kapso.messages.sendTemplate({ phoneNumberId: pn, to, template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Asha' }, { type: 'text', text: '#1023' }, { type: 'text', text: 'shipped' }] }] } }));
    const uploaded = await kapso.media.upload({ phoneNumberId: pn, type: 'image/png', file: new Blob([Buffer.from('89504e470d0a1a0a', 'hex')], { type: 'image/png' }), fileName: 'dot.png' });
    assert.match(uploaded.id, /^[0-9]+$/);
    const meta = await kapso.media.get({ mediaId: uploaded.id });
    assert.equal(meta.mimeType, 'image/png');
    assert.equal(meta.fileSize, 8);
    const bytes = Buffer.from((await kapso.media.download({ mediaId: uploaded.id, auth: 'always' })) as ArrayBuffer);
    assert.equal(bytes.toString('hex'), '89504e470d0a1a0a', 'the bearer-protected download returns the uploaded bytes');
    const anonymous = (await kapso.media.download({ mediaId: uploaded.id, auth: 'never', as: 'response' })) as Response;
    assert.equal(anonymous.status, 401, 'the media URL needs the bearer token, like Meta\'s');
    push(await kapso.messages.sendImage({ phoneNumberId: pn, to, image: { id: uploaded.id, caption: 'A dot' } }));
    push(await kapso.messages.sendImage({ phoneNumberId: pn, to, image: { link: 'https://example.com/photo.jpg' } }));
    push(await kapso.messages.sendInteractiveButtons({ phoneNumberId: pn, to, bodyText: 'Confirm your order?', buttons: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] }));
    push(await kapso.messages.sendInteractiveList({ phoneNumberId: pn, to, bodyText: 'Pick a slot', buttonText: 'Slots', sections: [{ title: 'Today', rows: [{ id: 'am', title: 'Morning' }, { id: 'pm', title: 'Afternoon', description: '12:00 to 18:00' }] }] }));
    push(await kapso.messages.sendLocation({ phoneNumberId: pn, to, location: { latitude: 37.44, longitude: -122.16, name: 'Philz Coffee', address: '101 Forest Ave' } }));
    for (const id of ids) assert.match(id, /^wamid\./);
    await waitFor(() => ids.every((id) => t.statuses().some((s) => s.id === id && s.status === 'read')), 'read statuses for every kapso send');
    assert.equal((await kapso.media.delete({ mediaId: uploaded.id })).success, true);
    await assert.rejects(kapso.media.get({ mediaId: uploaded.id }), (error: unknown) => error instanceof GraphApiError && error.code === 100);
  });

  it("kapso: Meta's error codes surface as GraphApiError with Meta's code", async () => {
    // Outside the window Meta answers 200 and reports 131047 in a failed status webhook.
    const closed = await kapso.messages.sendText({ phoneNumberId: pn, to: '15559990000', body: 'no window' });
    const failed = await waitFor(() => t.statuses().find((s) => s.id === closed.messages[0].id && s.status === 'failed'), 'the 131047 failed status');
    assert.equal(failed.errors[0].code, 131047);
    await assert.rejects(
      kapso.messages.sendTemplate({ phoneNumberId: pn, to, template: { name: 'missing_template', language: { code: 'en_US' } } }),
      (error: unknown) => error instanceof GraphApiError && error.code === 132001,
    );
    await assert.rejects(
      kapso.messages.sendRaw({ phoneNumberId: pn, payload: { messaging_product: 'whatsapp', to, type: 'interactive', interactive: { type: 'button', body: { text: 'x' }, action: { buttons: [1, 2, 3, 4].map((n) => ({ type: 'reply', reply: { id: `b${n}`, title: `B${n}` } })) } } } }),
      (error: unknown) => error instanceof GraphApiError && error.code === 100 && /at most 3/.test(error.details ?? ''),
    );
    const badToken = new WhatsAppClient({ accessToken: 'EAAG-wrong-token', baseUrl: t.emu.info.url });
    await assert.rejects(badToken.messages.sendText({ phoneNumberId: pn, to, body: 'x' }), (error: unknown) => error instanceof GraphApiError && error.code === 190 && error.httpStatus === 401);
  });

  it('kapso: template management (create → PENDING, review webhook, list, delete)', async () => {
    const created = await kapso.templates.create({
      businessAccountId: t.emu.info.wabaId,
      name: 'kapso_shipping_note',
      language: 'en_US',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Your parcel {{1}} left our warehouse today.', example: { body_text: [['A123']] } }],
    } as any);
    assert.equal(created.status, 'PENDING');
    const update = await waitFor(() => t.receiver.posts.find((p) => p.body.entry[0].changes[0].field === 'message_template_status_update' && p.body.entry[0].changes[0].value.message_template_name === 'kapso_shipping_note'), 'the review webhook');
    assert.equal(update.body.entry[0].changes[0].value.event, 'APPROVED');
    const listed = await kapso.templates.list({ businessAccountId: t.emu.info.wabaId, name: 'kapso_shipping_note' });
    assert.equal(listed.data[0].status, 'APPROVED');
    await kapso.templates.delete({ businessAccountId: t.emu.info.wabaId, name: 'kapso_shipping_note' } as any);
    const after = await kapso.templates.list({ businessAccountId: t.emu.info.wabaId, name: 'kapso_shipping_note' });
    assert.equal(after.data.length, 0);
  });

  it('whatsapp-api-js: text, template, media, interactive and location sends are accepted', async () => {
    const sends = [
      new Text('Hello from whatsapp-api-js'),
      new Template('order_update', new Language('en_US'), new BodyComponent(new BodyParameter('Asha'), new BodyParameter('#7'), new BodyParameter('delivered'))),
      new Image('https://example.com/cat.jpg', false, 'A cat'),
      new Interactive(new ActionButtons(new Button('ok', 'OK'), new Button('later', 'Later')), new Body('Shall we?'), new Header('Question'), new Footer('Parley')),
      new Interactive(new ActionList('Options', new ListSection('Section', new Row('r1', 'Row one', 'First row'))), new Body('Choose one')),
      new Location(-70.66, -33.45, 'Santiago', 'Chile'),
    ];
    for (const message of sends) {
      const response: any = await wa.sendMessage(pn, to, message);
      assert.ok(response.messages?.[0]?.id?.startsWith('wamid.'), `${message._type}: ${JSON.stringify(response)}`);
    }
  });

  it("whatsapp-api-js: Meta's error envelope comes back as the library's error response", async () => {
    const response: any = await wa.sendMessage(pn, to, new Template('no_such_template', new Language('en_US')));
    assert.equal(response.error.code, 132001);
    assert.equal(response.error.type, 'OAuthException');
    assert.match(response.error.fbtrace_id, /^[A-Za-z0-9_-]+$/);
  });

  it('whatsapp-api-js: with windowErrors "sync" a free-form message outside the window is refused at once with 131047', async () => {
    await t.control('PUT', '/behaviour', { windowErrors: 'sync' });
    try {
      const response: any = await wa.sendMessage(pn, '15558887777', new Text('outside the window'));
      assert.equal(response.error.code, 131047);
    } finally {
      await t.control('PUT', '/behaviour', { windowErrors: 'webhook' });
    }
  });
});

// A third client, @microfox/whatsapp-business: its documented `baseUrl` option replaces Graph's versioned
// base, so pointed at a host it posts `/{phone_number_id}/messages` with no version, which Graph serves with
// the app's default version.
describe("Graph's unversioned paths, mark-as-read and unknown paths on the emulator", () => {
  let t: TestEmulator;
  let pn: string;
  const to = '16505551234';

  before(async () => {
    t = await startTestEmulator();
    pn = t.emu.info.phoneNumberIds[0];
  });
  after(() => t.close());

  const microfox = () => new WhatsAppBusinessSDK({ accessToken: t.emu.info.accessToken, phoneNumberId: pn, businessAccountId: t.emu.info.wabaId, version: 'v23.0', baseUrl: t.emu.info.url });

  it('microfox (unversioned POST /{phone_number_id}/messages): template and text sends get wamids, a read receipt answers success', async () => {
    const sdk = microfox();
    const inbound = (await t.control('POST', `/customers/${to}/messages`, { type: 'text', text: { body: 'Hi!' } })).body.id;
    const sent = await sdk.sendTemplateMessage(to, 'order_update', 'en_US', [{ type: 'body', parameters: [{ type: 'text', text: 'Asha' }, { type: 'text', text: '#1' }, { type: 'text', text: 'shipped' }] }] as any);
    assert.match((sent.data as any).messages[0].id, /^wamid\./);
    const text = await sdk.sendTextMessage(to, 'Hello without a version');
    assert.match((text.data as any).messages[0].id, /^wamid\./);
    assert.deepEqual((await sdk.markMessageAsRead(inbound)).data, { success: true });
    assert.deepEqual((await sdk.sendTypingIndicator({ messageId: inbound })).data, { success: true });
    const paths = t.emu.core.state.received.toArray().filter((r) => r.target === pn).map((r) => r.status);
    assert.ok(paths.length >= 4 && paths.every((s) => s === 200), JSON.stringify(paths));
    await assert.rejects(sdk.sendTemplateMessage(to, 'missing_template', 'en_US'), (error: any) => error instanceof WhatsAppBusinessSDKError && error.code === 132001);
  });

  it('kapso and whatsapp-api-js: mark-as-read, with and without the typing indicator, answers {"success":true}; an unknown message id is 131009', async () => {
    const kapso = new WhatsAppClient({ accessToken: t.emu.info.accessToken, baseUrl: t.emu.info.url, graphVersion: 'v23.0' });
    const redirect: typeof fetch = (input, init) => fetch(String(input).replace('https://graph.facebook.com', t.emu.info.url), init);
    const wa = new WhatsAppAPI({ token: t.emu.info.accessToken, appSecret: t.emu.info.appSecret, v: 'v24.0', ponyfill: { fetch: redirect } });
    const first = (await t.control('POST', `/customers/${to}/messages`, { type: 'text', text: { body: 'one' } })).body.id;
    const second = (await t.control('POST', `/customers/${to}/messages`, { type: 'text', text: { body: 'two' } })).body.id;
    assert.deepEqual(await kapso.messages.markRead({ phoneNumberId: pn, messageId: first }), { success: true });
    assert.deepEqual(await kapso.messages.markRead({ phoneNumberId: pn, messageId: second, typingIndicator: { type: 'text' } }), { success: true });
    assert.deepEqual(await wa.markAsRead(pn, second, 'text'), { success: true });
    await assert.rejects(kapso.messages.markRead({ phoneNumberId: pn, messageId: 'wamid.unknown' }), (error: unknown) => error instanceof GraphApiError && error.code === 131009);
  });

  it("unknown Graph paths, versioned or not, answer in Meta's envelope {error:{message,type,code,fbtrace_id}}", async () => {
    await assert.rejects(microfox().getBusinessProfile(), (error: any) => {
      assert.ok(error instanceof WhatsAppBusinessSDKError, String(error));
      assert.equal(error.code, 2500);
      const body = error.originalError.data.error;
      assert.deepEqual(Object.keys(body).sort(), ['code', 'fbtrace_id', 'message', 'type']);
      assert.equal(body.message, `Unknown path components: /${pn}/whatsapp_business_profile`);
      return true;
    });
    for (const path of ['/v23.0/123/nothing_here', '/123/nothing/here', '/v23.0']) {
      const answer = await fetch(`${t.emu.info.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${t.emu.info.accessToken}` } });
      const body = (await answer.json()) as any;
      assert.equal(answer.status, 400, path);
      assert.equal(body.error.code, 2500, path);
      assert.equal(body.error.type, 'OAuthException');
      assert.ok(body.error.fbtrace_id);
    }
    const ultramsg = await fetch(`${t.emu.info.url}/${t.emu.info.ultramsgInstanceIds[0]}/no/such/path`);
    assert.equal(ultramsg.status, 404, 'UltraMsg paths keep UltraMsg\'s answer');
    assert.match(((await ultramsg.json()) as any).error, /No endpoint/);
  });
});
