import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { skipBrowser, withBrowser } from './chromium.js';
import { describeStorage } from '../harness/storage.js';
import { findOrCreateContactByPhone } from '../../src/contacts/contact-queries.js';
import { preferenceLink } from '../../src/preferences/preference-link.js';

describeStorage('preference centre in a browser', (fx) => {
  it('opens a preference link on a phone-sized screen, changes a choice, and the ledger shows it; expired and tampered links get a clear page', { skip: skipBrowser }, async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const { authorization, workspaceId } = await fx.workspace();
    const { id: contactId } = await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, '+14155553333');
    const link = await app.inject({ method: 'POST', url: `/v1/contacts/${contactId}/preference-link`, headers: { authorization, host: new URL(base).host }, payload: {} });
    const { url } = link.json();
    assert.ok(url.startsWith(base), url);

    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      const response = await page.goto(url);
      assert.equal(response?.status(), 200);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Your message preferences');
      const offersOnWhatsApp = page.getByRole('group', { name: 'Offers and news' }).getByRole('checkbox', { name: 'WhatsApp' });
      assert.equal(await offersOnWhatsApp.isChecked(), false, 'no opt-in yet');
      assert.equal(await page.getByRole('group', { name: 'Orders and account' }).getByRole('checkbox', { name: 'SMS' }).isChecked(), true);
      const fits = await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth');
      assert.ok(fits, 'the page fits a phone screen without sideways scrolling');

      await offersOnWhatsApp.check();
      await page.getByRole('group', { name: 'Orders and account' }).getByRole('checkbox', { name: 'SMS' }).uncheck();
      await Promise.all([page.waitForURL(/saved=1$/), page.getByRole('button', { name: 'Save my choices' }).click()]);
      assert.equal((await page.getByRole('status').textContent())?.trim(), 'Your choices were saved.');
      assert.equal(await page.getByRole('group', { name: 'Offers and news' }).getByRole('checkbox', { name: 'WhatsApp' }).isChecked(), true);

      const history = (await app.inject({ url: `/v1/contacts/${contactId}/consent/history`, headers: { authorization } })).json().records;
      assert.deepEqual(history.map((r: { purpose: string; channel: string; status: string }) => `${r.purpose}/${r.channel}/${r.status}`).sort(), ['marketing/whatsapp/granted', 'utility/sms/withdrawn']);
      for (const r of history) {
        assert.equal(r.source, 'web');
        assert.equal(r.proof.ip, '127.0.0.1');
        assert.match(r.proof.userAgent, /Chrome/);
      }
      const current = (await app.inject({ url: `/v1/contacts/${contactId}/consent`, headers: { authorization } })).json().consent;
      assert.equal(current.find((c: { purpose: string; channel: string }) => c.purpose === 'marketing' && c.channel === 'whatsapp').allowed, true);

      const tampered = url.slice(0, -2) + (url.endsWith('AA') ? 'BB' : 'AA');
      const tamperedResponse = await page.goto(tampered);
      assert.equal(tamperedResponse?.status(), 403);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'This link is not valid');
      assert.equal(await page.getByRole('checkbox').count(), 0, 'no form on the error page');

      const expired = preferenceLink(ctx.keyring, base, { workspaceId, contactId }, Date.now() - 60_000, 1_000);
      const expiredResponse = await page.goto(expired.url);
      assert.equal(expiredResponse?.status(), 410);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'This link has expired');
      assert.equal((await app.inject({ url: `/v1/contacts/${contactId}/consent/history`, headers: { authorization } })).json().records.length, 2, 'the refused links changed nothing');
      await page.close();
    }, { phone: true });
  });
});
