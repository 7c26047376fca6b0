import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { HttpPools } from '../../src/channels/http-pools.js';
import { CloudAdapter, parseCloudError } from '../../src/channels/whatsapp-cloud/client/cloud-adapter.js';
import { classifyCloudError } from '../../src/channels/whatsapp-cloud/errors.js';
import { cloudMessageBody } from '../../src/channels/whatsapp-cloud/client/cloud-payload.js';
import { UltraMsgAdapter } from '../../src/channels/ultramsg/client/ultramsg-adapter.js';
import { ultramsgRequest } from '../../src/channels/ultramsg/client/ultramsg-payload.js';
import type { Sender, SenderCommon } from '../../src/senders/sender-queries.js';
import { senderSettingsFrom, type SenderSettingsFields } from '../../src/channels/sender-identity.js';
import type { ProviderName } from '../../src/channels/provider-name.js';
import type { OutboundRequest } from '../../src/channels/port.js';
import { ROOT } from '../harness/cli.js';

const fixture = (name: string) => JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/whatsapp', name), 'utf8'));

/** A sender as `toSender` makes one, its provider settings given as the senders API names them. */
const sender = ({ provider = 'cloud', graphVersion = 'v23.0', phoneNumberId, instanceId, ...over }: Partial<SenderCommon> & { provider?: ProviderName } & SenderSettingsFields): Sender => ({
  id: 'snd_1', workspaceId: 'ws', name: 's', baseUrl: 'http://127.0.0.1:9', wabaId: null,
  displayPhone: null, mps: 80, messagingLimit: null, portfolioId: 'p', status: 'active', quality: null, createdAt: 0, updatedAt: 0, ...over,
  ...senderSettingsFrom(provider, { graphVersion, phoneNumberId, instanceId }),
});
const request = (over: Partial<OutboundRequest> = {}): OutboundRequest => ({ messageId: 'msg_01TEST', to: '+16505551234', type: 'text', payload: { body: 'hi' }, lane: 'transactional', ...over });

describe('provider payloads (pure)', () => {
  it("a Cloud API send carries Parley's id in biz_opaque_callback_data and the wa_id form of the number", () => {
    const body = cloudMessageBody(request({ replyToProviderId: 'wamid.X' }));
    assert.deepEqual(body, { messaging_product: 'whatsapp', recipient_type: 'individual', to: '16505551234', type: 'text', text: { body: 'hi' }, biz_opaque_callback_data: 'msg_01TEST', context: { message_id: 'wamid.X' } });
  });
  it('UltraMsg: OTPs go first (priority 0), marketing last (10), with referenceId = Parley id', () => {
    const otp = ultramsgRequest(request({ lane: 'otp', type: 'template', renderedText: '123456 is your code' }));
    assert.equal(otp.endpoint, 'messages/chat');
    assert.deepEqual(otp.fields, { to: '+16505551234', priority: '0', referenceId: 'msg_01TEST', body: '123456 is your code' });
    assert.equal(ultramsgRequest(request({ lane: 'marketing' })).fields.priority, '10');
    const location = ultramsgRequest(request({ type: 'location', payload: { latitude: 1.5, longitude: 2.5, name: 'Shop', address: 'Main St' } }));
    assert.deepEqual([location.endpoint, location.fields.lat, location.fields.lng, location.fields.address], ['messages/location', '1.5', '2.5', 'Shop\nMain St']);
    assert.throws(() => ultramsgRequest(request({ type: 'interactive', payload: {} })), /cannot send interactive/);
  });
  it('UltraMsg: a Parley upload goes as base64 in the media parameter (a document with its file name), up to UltraMsg\'s 10,000,000 characters', () => {
    const pdf = Buffer.from('%PDF-1.4 invoice');
    const doc = ultramsgRequest(request({ type: 'document', payload: { mediaId: 'med_01TEST', caption: 'Invoice' }, media: { bytes: pdf, mimeType: 'application/pdf', filename: 'invoice.pdf', sha256: 'x' } }));
    assert.equal(doc.endpoint, 'messages/document');
    assert.deepEqual([doc.fields.document, doc.fields.caption, doc.fields.filename], [pdf.toString('base64'), 'Invoice', 'invoice.pdf']);
    const huge = { bytes: Buffer.alloc(7_500_001), mimeType: 'video/mp4', filename: null, sha256: 'x' };
    assert.throws(() => ultramsgRequest(request({ type: 'video', payload: { mediaId: 'med_01TEST' }, media: huge })), /at most 7500000 bytes/);
    assert.throws(() => ultramsgRequest(request({ type: 'image', payload: { id: '1479537139650973' } })), /not a Cloud API media id/);
  });
  it("reads Meta's recorded error envelope by its code", () => {
    const error = parseCloudError(400, fixture('api/cloud-error-response-130429.json'));
    assert.deepEqual([error.code, error.fbtraceId], ['130429', 'Az8or2yhqkZfEZ-_4Qn_Bam']);
    assert.match(error.details!, /too many messages/);
  });
});

describe('provider adapters against recorded responses', () => {
  let server: http.Server;
  let url: string;
  let respond: { status: number; body: unknown } = { status: 200, body: {} };
  const seen: Array<{ url: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ url: req.url!, headers: req.headers, body });
        res.writeHead(respond.status, { 'content-type': 'application/json' }).end(JSON.stringify(respond.body));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it("Cloud API: POSTs to /{version}/{phone_number_id}/messages with the bearer token and reads Meta's success response", async () => {
    const pools = new HttpPools(4);
    respond = { status: 200, body: fixture('api/cloud-send-success-response.json') };
    const result = await new CloudAdapter(pools, 'v21.0').send(sender({ baseUrl: url, phoneNumberId: '106540352242922' }), { accessToken: 'tok' }, request());
    assert.deepEqual(result, { ok: true, providerMessageId: 'wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA' });
    assert.equal(seen.at(-1)!.url, '/v23.0/106540352242922/messages');
    assert.equal(seen.at(-1)!.headers.authorization, 'Bearer tok');
    respond = { status: 429, body: fixture('api/cloud-error-response-130429.json') };
    const error = await new CloudAdapter(pools, 'v21.0').send(sender({ baseUrl: url, phoneNumberId: '1' }), { accessToken: 'tok' }, request());
    assert.ok(!error.ok && error.error.code === '130429' && error.error.httpStatus === 429);
    await pools.close();
  });

  it('UltraMsg: form-encoded with the token, reads the string "true" and numeric id; a 200 with an error body is an error', async () => {
    const pools = new HttpPools(4);
    respond = { status: 200, body: fixture('api/ultramsg-send-success-response.json') };
    const ok = await new UltraMsgAdapter(pools).send(sender({ provider: 'ultramsg', baseUrl: url, instanceId: 'instance1150' }), { token: 'secret' }, request());
    assert.deepEqual(ok, { ok: true, providerMessageId: '58431' });
    const last = seen.at(-1)!;
    assert.equal(last.url, '/instance1150/messages/chat');
    assert.equal(new URLSearchParams(last.body).get('token'), 'secret');
    respond = { status: 200, body: { error: 'Wrong token. Please provide token as a GET parameter.' } };
    const bad = await new UltraMsgAdapter(pools).send(sender({ provider: 'ultramsg', baseUrl: url, instanceId: 'instance1150' }), { token: 'x' }, request());
    assert.ok(!bad.ok && bad.error.code === 'ultramsg_auth');
    respond = { status: 200, body: { error: [{ to: 'is required' }] } };
    const invalid = await new UltraMsgAdapter(pools).send(sender({ provider: 'ultramsg', baseUrl: url, instanceId: 'instance1150' }), { token: 'x' }, request());
    assert.ok(!invalid.ok && invalid.error.code === 'ultramsg_invalid');
    await pools.close();
  });

  it("Cloud API media: the upload is multipart to /{version}/{phone_number_id}/media with Meta's three fields; its error is the send's, classified by Meta's code; a kept media id skips the upload", async () => {
    const pools = new HttpPools(4);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7, 7, 7]);
    const media = { bytes: png, mimeType: 'image/png', filename: 'parcel.png', sha256: 'x' };
    const image = request({ type: 'image', payload: { mediaId: 'med_01TEST', caption: 'At your door' }, media });
    const adapter = new CloudAdapter(pools, 'v23.0');
    const before = seen.length;
    respond = { status: 400, body: { error: { message: '(#131053) Media upload error', type: 'OAuthException', code: 131053, error_data: { details: 'Unsupported file' }, fbtrace_id: 'Ab1' } } };
    const refused = await adapter.send(sender({ baseUrl: url, phoneNumberId: '106540352242922' }), { accessToken: 'tok' }, image);
    assert.ok(!refused.ok && refused.error.code === '131053', JSON.stringify(refused));
    assert.equal(classifyCloudError(refused.error).action, 'retry', 'a media upload error is retried once, as Meta advises');
    assert.equal(seen.length, before + 1, 'no message is sent after a failed upload');
    const upload = seen.at(-1)!;
    assert.equal(upload.url, '/v23.0/106540352242922/media');
    assert.equal(upload.headers.authorization, 'Bearer tok');
    const form = await new Response(upload.body, { headers: { 'content-type': String(upload.headers['content-type']) } }).formData();
    assert.equal(form.get('messaging_product'), 'whatsapp');
    assert.equal(form.get('type'), 'image/png');
    assert.equal((form.get('file') as File).name, 'parcel.png');

    // A media id kept from an earlier upload: straight to /messages, with { id } in place of Parley's mediaId.
    respond = { status: 200, body: fixture('api/cloud-send-success-response.json') };
    const sent = await adapter.send(sender({ baseUrl: url, phoneNumberId: '106540352242922' }), { accessToken: 'tok' }, { ...image, media: { ...media, providerMediaId: '1479537139650973' } });
    assert.ok(sent.ok && sent.uploadedMediaId === undefined);
    assert.equal(seen.at(-1)!.url, '/v23.0/106540352242922/messages');
    assert.deepEqual(JSON.parse(seen.at(-1)!.body).image, { id: '1479537139650973', caption: 'At your door' });
    await pools.close();
  });

  it('a connection failure is a transient `network` error, not an exception', async () => {
    const pools = new HttpPools(1);
    const result = await new CloudAdapter(pools, 'v23.0').send(sender({ baseUrl: 'http://127.0.0.1:1', phoneNumberId: '1' }), { accessToken: 't' }, request());
    assert.ok(!result.ok && result.error.code === 'network');
    await pools.close();
  });
});

describe('provider adapters against the emulator', () => {
  let emulator: RunningEmulator;
  const pools = new HttpPools(8);
  before(async () => {
    emulator = await startEmulator({});
  });
  after(async () => {
    await pools.close();
    await emulator.close();
  });

  it('Cloud API: a template is accepted with a wamid; free-form outside the window is 131047 (the emulator set to refuse it synchronously); a bad token is 190', async () => {
    const info = emulator.info;
    await fetch(`${info.url}/_emulator/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ windowErrors: 'sync' }) });
    const cloud = sender({ baseUrl: info.url, phoneNumberId: info.phoneNumberIds[0] });
    const adapter = new CloudAdapter(pools, 'v23.0');
    const template = await adapter.send(cloud, { accessToken: info.accessToken }, request({ type: 'template', payload: { name: 'hello_world', language: { code: 'en_US' } } }));
    assert.ok(template.ok && template.providerMessageId.startsWith('wamid.'), JSON.stringify(template));
    const text = await adapter.send(cloud, { accessToken: info.accessToken }, request({ to: '+15550009999' }));
    assert.ok(!text.ok && text.error.code === '131047', JSON.stringify(text));
    await fetch(`${info.url}/_emulator/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ windowErrors: 'webhook' }) });
    const accepted = await adapter.send(cloud, { accessToken: info.accessToken }, request({ to: '+15550009998' }));
    assert.ok(accepted.ok, 'by default 131047 comes later, in a failed status webhook');
    const badToken = await adapter.send(cloud, { accessToken: 'nope' }, request({ type: 'template', payload: { name: 'hello_world', language: { code: 'en_US' } } }));
    assert.ok(!badToken.ok && badToken.error.code === '190');
  });

  it('UltraMsg: text is accepted with a numeric id; a wrong token is ultramsg_auth', async () => {
    const info = emulator.info;
    const um = sender({ provider: 'ultramsg', baseUrl: info.url, instanceId: info.ultramsgInstanceIds[0] });
    const adapter = new UltraMsgAdapter(pools);
    const ok = await adapter.send(um, { token: info.ultramsgToken }, request());
    assert.ok(ok.ok && /^\d+$/.test(ok.providerMessageId), JSON.stringify(ok));
    const bad = await adapter.send(um, { token: 'wrong' }, request());
    assert.ok(!bad.ok && bad.error.code === 'ultramsg_auth', JSON.stringify(bad));
  });
});
