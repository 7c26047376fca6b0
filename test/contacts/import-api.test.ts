import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';

describeStorage('contact import API', (fx) => {
  const csv = (lines: string[]) => lines.join('\n');

  it('imports a text/csv body, reporting each bad row by row number, column and problem', async () => {
    const app = await fx.app();
    const { authorization } = await fx.workspace(['contacts:read', 'contacts:write']);
    const body = csv([
      'phone,name,email,language,time_zone,tags,attr.plan',
      '+5511987650101,Ana,ana@example.com,pt-BR,,vip|loja,gold',
      '11987650102,Bruno,,pt,America/Recife,,',
      '',
      '+5511987650103,Carla,carla-at-example.com,,,,',
      '+5511987650104,Davi,,klingon!!,,,',
      '+5511987650105,Eva,,,Mars/Base,,',
      '"+5511987650106","Fábio, Jr.",,,,"a|b",',
    ]);
    const res = await app.inject({ method: 'POST', url: '/v1/contacts/import?defaultCountry=BR', headers: { authorization, 'content-type': 'text/csv' }, payload: body });
    assert.equal(res.statusCode, 200, res.body);
    const report = res.json();
    assert.equal(report.total, 6);
    assert.equal(report.created, 3);
    assert.equal(report.failed, 3);
    assert.deepEqual(report.errors.map((e: { row: number; column: string }) => [e.row, e.column]), [[5, 'email'], [6, 'language'], [7, 'time_zone']]);
    const list = (await app.inject({ url: '/v1/contacts?tag=vip', headers: { authorization } })).json().data;
    assert.equal(list.length, 1);
    assert.equal(list[0].attributes.plan, 'gold');
    const bruno = (await app.inject({ url: '/v1/contacts?phone=%2B5511987650102', headers: { authorization } })).json().data[0];
    assert.equal(bruno.name, 'Bruno');
    assert.equal(bruno.timeZone, 'America/Recife');
    const fabio = (await app.inject({ url: '/v1/contacts?phone=%2B5511987650106', headers: { authorization } })).json().data[0];
    assert.equal(fabio.name, 'Fábio, Jr.');
  });

  it('imports JSON rows; a known number (in any form) or a repeated row updates instead of duplicating', async () => {
    const app = await fx.app();
    const { authorization } = await fx.workspace();
    const first = await app.inject({ method: 'POST', url: '/v1/contacts/import', headers: { authorization }, payload: { rows: [{ phone: '+5521987654321', name: 'Gil', tags: ['a'] }] } });
    assert.equal(first.json().created, 1);
    const second = await app.inject({
      method: 'POST', url: '/v1/contacts/import', headers: { authorization },
      payload: { rows: [
        { phone: '+552187654321', email: 'gil@example.com', tags: ['b'] },
        { phone: '+14155550177', name: 'Hal' },
        { phone: '+1 (415) 555-0177', language: 'en-US' },
        { phone: 'nope' },
      ] },
    });
    const report = second.json();
    assert.deepEqual({ created: report.created, updated: report.updated, failed: report.failed }, { created: 1, updated: 2, failed: 1 });
    assert.deepEqual(report.errors, [{ row: 4, column: 'phone', message: report.errors[0].message }]);
    const gil = (await app.inject({ url: '/v1/contacts?phone=%2B5521987654321', headers: { authorization } })).json().data;
    assert.equal(gil.length, 1);
    assert.equal(gil[0].name, 'Gil');
    assert.equal(gil[0].email, 'gil@example.com');
    assert.deepEqual(gil[0].tags.sort(), ['a', 'b']);
    const hal = (await app.inject({ url: '/v1/contacts?phone=%2B14155550177', headers: { authorization } })).json().data;
    assert.equal(hal.length, 1);
    assert.equal(hal[0].language, 'en-US');
    assert.equal(hal[0].name, 'Hal');
  });

  it('consent columns append ledger records with source import, and need the consent:write scope', async () => {
    const app = await fx.app();
    const writer = await fx.workspace(['contacts:read', 'contacts:write']);
    const body = csv(['phone,consent.marketing.whatsapp,consent.marketing.email,consent_at,consent_wording', '+393331112222,yes,no,2024-05-01T10:00:00Z,Sì alle offerte su WhatsApp']);
    const refused = await app.inject({ method: 'POST', url: '/v1/contacts/import', headers: { authorization: writer.authorization, 'content-type': 'text/csv' }, payload: body });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.details.requiredScope, 'consent:write');
    assert.equal((await app.inject({ url: '/v1/contacts', headers: { authorization: writer.authorization } })).json().data.length, 0, 'nothing is written when refused');

    const admin = await fx.workspace(['admin']);
    const ok = await app.inject({ method: 'POST', url: '/v1/contacts/import', headers: { authorization: admin.authorization, 'content-type': 'text/csv' }, payload: body });
    assert.equal(ok.json().consentRecords, 2);
    const again = await app.inject({ method: 'POST', url: '/v1/contacts/import', headers: { authorization: admin.authorization, 'content-type': 'text/csv' }, payload: body });
    assert.equal(again.json().consentRecords, 0, 'the same dated consent is not recorded twice');
    const contact = (await app.inject({ url: '/v1/contacts', headers: { authorization: admin.authorization } })).json().data[0];
    const history = (await app.inject({ url: `/v1/contacts/${contact.id}/consent/history`, headers: { authorization: admin.authorization } })).json().records;
    assert.deepEqual(history.map((r: { channel: string; status: string; source: string }) => [r.channel, r.status, r.source]).sort(), [['email', 'withdrawn', 'import'], ['whatsapp', 'granted', 'import']]);
    assert.equal(history[0].effectiveAt, '2024-05-01T10:00:00.000Z');
    assert.equal(history[0].wording, 'Sì alle offerte su WhatsApp');
  });

  it('refuses a file whose header cannot work, saying why', async () => {
    const app = await fx.app();
    const { authorization } = await fx.workspace();
    const noId = await app.inject({ method: 'POST', url: '/v1/contacts/import', headers: { authorization, 'content-type': 'text/csv' }, payload: 'name,city\nAna,Recife\n' });
    assert.equal(noId.statusCode, 400);
    assert.equal(noId.json().error.code, 'CONTACT_IMPORT_INVALID');
    assert.match(noId.json().error.message, /no phone, wa_id or email column/);
    const badConsent = await app.inject({ method: 'POST', url: '/v1/contacts/import', headers: { authorization, 'content-type': 'text/csv' }, payload: 'phone,consent.promo.whatsapp\n+14155550100,yes\n' });
    assert.match(badConsent.json().error.message, /consent\.<purpose>\.<channel>/);
    const empty = await app.inject({ method: 'POST', url: '/v1/contacts/import', headers: { authorization, 'content-type': 'text/csv' }, payload: '' });
    assert.equal(empty.statusCode, 400);
    const unterminated = await app.inject({ method: 'POST', url: '/v1/contacts/import', headers: { authorization, 'content-type': 'text/csv' }, payload: 'phone,name\n+14155550101,Ok\n+14155550102,"never closed\n' });
    assert.equal(unterminated.json().created, 1);
    assert.match(unterminated.json().errors[0].message, /never closed/);
  });
});
