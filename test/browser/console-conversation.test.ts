import { before, it } from 'node:test';
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from 'playwright-core';
import { buildConsole, checkPage, signIn, skipBrowser, withBrowser } from './chromium.js';
import { describeStorage } from '../harness/storage.js';
import { fixture, insertSender, pidHash, postCloud, processAll, webhookContext, withMessageId } from '../webhooks/helpers.js';
import { customerWrites } from '../conversations/helpers.js';
import { makeUser } from '../people/helpers.js';
import { liveTemplate } from '../templates/harness/seed.js';
import { sealProviderId } from '../../src/messages/provider-ids.js';
import { HOUR } from '../../src/shared/time.js';

let senders = 0;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Buffer) => {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A real PNG to attach: a square of `size` pixels, green with a white diagonal (8-bit RGB, as WhatsApp takes). */
function squarePng(size: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Array.from({ length: size }, (_, y) => Buffer.concat([Buffer.from([0]), ...Array.from({ length: size }, (_, x) => Buffer.from(Math.abs(x - y) < 4 ? [255, 255, 255] : [37, 160, 90]))]));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/** Polled from the test: a string predicate would be evaluated in the page, which the console's content policy forbids. */
async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, `${what} did not happen within ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const text = async (l: Locator) => (await l.textContent()) ?? '';

describeStorage('web console: the conversation view in a browser', (fx) => {
  before(buildConsole);

  it('an agent replies and sees its ticks move with the status webhooks, a failure explained, a refused send keeps its draft, a closed window offers only templates which are filled, previewed and sent, and resolves with a shortcut and reopens', { skip: skipBrowser }, async () => {
    const ctx = webhookContext(fx);
    const app = await fx.app(ctx);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const { workspaceId } = await fx.workspace();
    const n = ++senders;
    const phoneNumberId = `1078${String(n).padStart(11, '0')}`;
    const wabaId = `3078${String(n).padStart(11, '0')}`;
    const senderId = await insertSender(fx.db, ctx.keyring, { workspaceId, phoneNumberId, wabaId });
    await liveTemplate(ctx, workspaceId, {
      wabaId,
      name: 'order_ready',
      language: 'en_US',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Order update' },
        { type: 'BODY', text: 'Hi {{1}}, your order {{2}} is ready.', example: { body_text: [['Ana', 'A1']] } },
        { type: 'FOOTER', text: 'Parley Shop' },
        { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Thanks!' }] },
      ] as never,
    });
    const agent = await makeUser(ctx, workspaceId, 'admin');
    await customerWrites(app, ctx, { from: '16505550501', phoneNumberId, text: 'Where is my order 1234?' });
    // Another customer wrote 26 hours ago: their window is closed.
    await customerWrites(app, ctx, { from: '16505550502', phoneNumberId, text: 'Is the blue one back in stock?', at: Date.now() - 26 * HOUR });

    /** A status webhook of the provider for the reply, as the provider id the dispatcher would have stored. */
    const status = async (wamid: string, file: string, edit: (s: Record<string, any>) => void = () => {}) => {
      const payload = JSON.parse(withMessageId(fixture(file), wamid));
      const value = payload.entry[0].changes[0].value;
      value.metadata.phone_number_id = phoneNumberId;
      value.statuses[0].timestamp = String(Math.floor(Date.now() / 1000));
      edit(value.statuses[0]);
      const res = await postCloud(app, JSON.stringify(payload));
      assert.equal(res.statusCode, 200, res.body);
      await processAll(ctx);
    };
    const handOver = async (messageId: string, wamid: string) => {
      await fx.db.updateTable('messages').set({ status: 'accepted', provider_id_sealed: await sealProviderId(ctx.keyring, workspaceId, wamid), provider_id_hash: pidHash(fx.db, wamid) }).where('id', '=', messageId).execute();
    };

    await withBrowser(async (browser) => {
      const page: Page = await browser.newPage();
      await signIn(page, base, agent);
      await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
      const conversations = page.getByRole('list', { name: 'Conversations' }).getByRole('link');
      await until('both conversations listed', async () => (await conversations.count()) === 2);

      // The first customer's conversation (the older of the two opened: last in the list).
      await conversations.last().click();
      const timeline = page.getByRole('list', { name: 'Messages' });
      await timeline.getByText('Where is my order 1234?').waitFor();

      // Reply: it appears at once, waiting for the provider.
      const reply = page.getByRole('textbox', { name: 'Reply', exact: true });
      await reply.fill('It left our warehouse this morning.');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      const sent = timeline.locator('li.message.outbound', { hasText: 'It left our warehouse this morning.' });
      await sent.waitFor();
      assert.equal(await reply.inputValue(), '', 'a sent reply clears the box');
      assert.match(await text(sent.locator('.delivery')), /Sending/);
      const messageId = (await sent.getAttribute('data-message-id'))!;
      const wamid = `wamid.console.${n}.a`;
      await handOver(messageId, wamid);

      // The provider's status webhooks move the ticks, with no reload.
      await status(wamid, 'cloud-status-sent.json');
      await until('the sent tick', async () => /Sent/.test(await text(sent.locator('.delivery'))));
      await status(wamid, 'cloud-status-delivered.json');
      await until('the delivered ticks', async () => /Delivered/.test(await text(sent.locator('.delivery'))));
      await status(wamid, 'cloud-status-read.json');
      await until('the read ticks', async () => /Read/.test(await text(sent.locator('.delivery'))));
      assert.equal(await sent.locator('.ticks').getAttribute('data-status'), 'read');
      await checkPage(page, 'conversation-reply', fx.dialect);

      // A second reply fails at the provider: the view says why, in words.
      await reply.fill('Here is the tracking link.');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      const failing = timeline.locator('li.message.outbound', { hasText: 'Here is the tracking link.' });
      await failing.waitFor();
      const failedId = (await failing.getAttribute('data-message-id'))!;
      await handOver(failedId, `wamid.console.${n}.b`);
      await status(`wamid.console.${n}.b`, 'cloud-status-failed.json', (s) => {
        s.errors[0].code = 131026;
        s.errors[0].title = 'Message undeliverable';
      });
      await until('the failure', async () => /Failed/.test(await text(failing.locator('.delivery'))));
      assert.match(await text(failing.locator('.failure')), /could not deliver to this number.*error 131026/);
      await checkPage(page, 'conversation-failed', fx.dialect);

      // Attach a file, with the keyboard: a "PNG" that is not one is refused by the upload, its hint shown, the draft kept.
      await page.getByRole('button', { name: 'Attach a file' }).click();
      const file = page.getByLabel('File to send');
      // The Attach button moves the focus to the file control, which takes a file from the keyboard too.
      await until('the file control focused', async () => (await page.locator('input[type=file]:focus').count()) === 1);
      await file.setInputFiles({ name: 'not-a-photo.png', mimeType: 'image/png', buffer: Buffer.from('just some text') });
      const caption = page.getByRole('textbox', { name: 'Caption' });
      await caption.fill('The parcel at the door');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      const uploadRefused = page.getByRole('form', { name: 'Reply' }).getByRole('alert');
      await uploadRefused.waitFor();
      assert.match(await text(uploadRefused), /not start like image\/png/);
      assert.match(await text(uploadRefused.locator('.hint')), /real MIME type/);
      assert.equal(await caption.inputValue(), 'The parcel at the door', 'the caption is kept');
      assert.equal((await fx.db.selectFrom('media_uploads').select('id').where('workspace_id', '=', workspaceId).execute()).length, 0, 'nothing stored');
      await checkPage(page, 'conversation-attach-refused', fx.dialect);
      // A real PNG: uploaded, sent by its media id with the caption, and shown in the timeline as an image.
      const png = squarePng(96);
      await file.setInputFiles({ name: 'parcel.png', mimeType: 'image/png', buffer: png });
      const shown = page.waitForResponse((r) => /\/v1\/media\/med_[0-9A-Z]+\/content$/.test(r.url()));
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      const photo = timeline.locator('li.message.outbound', { hasText: 'The parcel at the door' });
      await photo.waitFor();
      await photo.getByRole('img', { name: 'Image sent: The parcel at the door' }).waitFor();
      const served = await shown;
      assert.equal(served.status(), 200);
      assert.equal(createHash('sha256').update(await served.body()).digest('hex'), createHash('sha256').update(png).digest('hex'), 'the timeline shows the uploaded bytes');
      const photoId = (await photo.getAttribute('data-message-id'))!;
      const uses = await fx.db.selectFrom('media_upload_uses').innerJoin('media_uploads', 'media_uploads.id', 'media_upload_uses.upload_id').select(['media_uploads.sha256', 'media_uploads.mime_type']).where('media_upload_uses.message_id', '=', photoId).execute();
      assert.deepEqual(uses, [{ sha256: createHash('sha256').update(png).digest('hex'), mime_type: 'image/png' }], 'the message sends the upload');
      assert.equal(await reply.inputValue(), '', 'a sent attachment clears the draft');
      await checkPage(page, 'conversation-attachment', fx.dialect);

      // Shortcuts stay quiet while typing: an "e" in the box does not resolve.
      await reply.focus();
      await page.keyboard.type('e');
      assert.equal(await reply.inputValue(), 'e');
      await reply.fill('');

      // The window closes behind the console's back: the send is refused, the API's words and hint shown, the draft kept.
      await fx.db.updateTable('service_windows').set({ last_inbound_at: Date.now() - 25 * HOUR }).where('sender_id', '=', senderId).where('last_inbound_at', '>', Date.now() - 2 * HOUR).execute();
      await reply.fill('Anything else I can do?');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      const refusal = page.getByRole('form', { name: 'Reply' }).getByRole('alert');
      await refusal.waitFor();
      assert.match(await text(refusal), /window is closed/);
      assert.match(await text(refusal.locator('.hint')), /template/);
      assert.equal(await reply.inputValue(), 'Anything else I can do?', 'the refused draft is kept');
      await checkPage(page, 'conversation-refused', fx.dialect);

      // The other customer's conversation: only templates may be sent, and the composer says why.
      await page.goto(`${base}/console/inbox`);
      await conversations.first().click();
      await page.getByRole('heading', { level: 2, name: /^Conversation with / }).waitFor();
      await page.getByRole('list', { name: 'Messages' }).getByText('Is the blue one back in stock?').waitFor();
      const reason = page.getByRole('status').filter({ hasText: 'only templates' });
      await reason.waitFor();
      assert.match(await text(reason), /The customer last wrote 26 h ago: only templates may be sent\./);
      assert.equal(await page.getByRole('textbox', { name: 'Reply', exact: true }).count(), 0, 'no free-text box while the window is closed');
      await page.getByLabel('Template', { exact: true }).selectOption({ label: 'order_ready (en_US, utility)' });
      const send = page.getByRole('button', { name: 'Send template' });
      assert.equal(await send.isDisabled(), true, 'not before the parameters are filled');
      await page.getByLabel('Body {{1}}').fill('Sam');
      await page.getByLabel('Body {{2}}').fill('B-77');
      const preview = page.getByRole('figure', { name: 'Preview as the customer will see it' });
      assert.match(await text(preview), /Order update.*Hi Sam, your order B-77 is ready\..*Parley Shop.*Thanks!/);
      await checkPage(page, 'conversation-template', fx.dialect);
      await send.click();
      const templated = page.getByRole('list', { name: 'Messages' }).locator('li.message.outbound');
      await templated.waitFor();
      assert.match(await text(templated), /template order_ready/);
      const stored = await fx.db.selectFrom('messages').select(['template_name', 'type']).where('direction', '=', 'outbound').where('template_name', '=', 'order_ready').execute();
      assert.equal(stored.length, 1, 'the template went to the outbox once');

      // Resolve with the keyboard ("e"), then reopen with the button.
      await page.getByRole('heading', { level: 2, name: /^Conversation with / }).focus();
      await page.keyboard.press('e');
      const state = page.locator('.facts .state');
      await until('the conversation resolved', async () => (await text(state)).startsWith('resolved'));
      await page.getByRole('list', { name: 'Messages' }).getByText(/Resolved by you/).waitFor();
      await page.getByRole('button', { name: 'Reopen' }).click();
      await until('the conversation reopened', async () => !(await text(state)).startsWith('resolved'));
      await page.getByRole('list', { name: 'Messages' }).getByText(/Reopened by you \(cycle 2\)/).waitFor();

      // "?" shows the shortcuts.
      await page.keyboard.press('?');
      const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await help.waitFor();
      assert.match(await text(help), /Resolve/);
      await checkPage(page, 'conversation-shortcuts', fx.dialect);
      await page.keyboard.press('Escape');
      await help.waitFor({ state: 'hidden' });
      await page.close();
    });
  });
});
