import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { signIn } from '../people/helpers.js';
import { buildApp } from '../../src/http/app.js';
import { APP } from '../../src/main/modules.js';
import { conversationRoutes } from '../../src/conversations/routes.js';
import { contactCards } from '../../src/contacts/contact-cards.js';
import type { Principal } from '../../src/access/principal.js';
import type { RouteModule } from '../../src/http/types.js';
import { assignmentSetup } from './assignment-helpers.js';

interface Listed {
  id: string;
  contactId: string;
  contact?: { name: string | null; phone: string | null };
}

describeStorage('Conversation list: include=contact names each conversation\'s contact', (fx) => {
  it('carries names and numbers decrypted, one contact.read_pii entry per page, none without include; an erased contact has nulls; a bad include is a 400', async () => {
    const s = await assignmentSetup(fx, { mode: 'manual' });
    const named = await s.customer();
    const unnamed = await s.customer();
    const erased = await s.customer();
    const [first, second, third] = await s.conversations();
    const patch = async (contactId: string, payload: object) => {
      const res = await s.app.inject({ method: 'PATCH', url: `/v1/contacts/${contactId}`, headers: s.key, payload });
      assert.equal(res.statusCode, 200, res.body);
    };
    await patch(first!.contactId, { name: 'Anabel Martínez' });
    await patch(second!.contactId, { name: null });
    await patch(third!.contactId, { name: 'Zélia Quintanilha' });
    const erasure = await s.app.inject({ method: 'DELETE', url: `/v1/contacts/${third!.contactId}`, headers: s.key });
    assert.equal(erasure.statusCode, 200, erasure.body);

    const reads = async () => fx.db.selectFrom('audit_entries').selectAll().where('workspace_id', '=', s.workspaceId).where('action', '=', 'contact.read_pii').orderBy('seq').execute();
    const list = async (query: string, headers: Record<string, string> = s.key): Promise<{ data: Listed[]; nextCursor: string | null }> => {
      const res = await s.app.inject({ url: `/v1/conversations?${query}`, headers });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };

    const before = (await reads()).length;
    const page = await list(`teamId=${s.teamId}&include=contact`);
    const byId = new Map(page.data.map((c) => [c.id, c]));
    assert.deepEqual(byId.get(first!.id)!.contact, { name: 'Anabel Martínez', phone: `+${named}` });
    assert.deepEqual(byId.get(second!.id)!.contact, { name: null, phone: `+${unnamed}` }, 'no name: the number');
    assert.deepEqual(byId.get(third!.id)!.contact, { name: null, phone: null }, 'an erased contact');
    assert.ok(!JSON.stringify(page).includes(erased), 'the erased number shows nowhere');

    const entries = await reads();
    assert.equal(entries.length, before + 1, 'one entry for the page');
    const entry = entries.at(-1)!;
    assert.equal(entry.resource_type, 'conversation');
    assert.equal(entry.resource_id, null);
    const diff = (typeof entry.diff === 'string' ? JSON.parse(entry.diff) : entry.diff) as { shown: { to: { count: number; ids: string[] } } };
    assert.deepEqual([...diff.shown.to.ids].sort(), [first!.contactId, second!.contactId, third!.contactId].sort());
    assert.equal(diff.shown.to.count, 3);
    assert.ok(!JSON.stringify(entry).includes('Anabel') && !JSON.stringify(entry).includes(named), 'the entry names contacts by id only');

    // Without include: no contact, nothing recorded.
    const plain = await list(`teamId=${s.teamId}`);
    assert.equal(plain.data.length, 3);
    assert.ok(plain.data.every((c) => !('contact' in c)));
    assert.equal((await reads()).length, before + 1);

    // A page at a time: one entry per page that shows contacts, each naming its own.
    const one = await list(`teamId=${s.teamId}&include=contact&limit=2`);
    const two = await list(`teamId=${s.teamId}&include=contact&limit=2&before=${one.nextCursor!}`);
    assert.equal(one.data.length + two.data.length, 3);
    const pages = (await reads()).slice(before + 1);
    assert.equal(pages.length, 2);
    const idsOf = (e: (typeof pages)[number]) => (typeof e.diff === 'string' ? JSON.parse(e.diff) : e.diff).shown.to.ids as string[];
    assert.deepEqual(idsOf(pages[1]!), two.data.map((c) => c.contactId));

    // A signed-in agent of the team holds contacts.read_pii: their page is recorded as theirs.
    const agent = await s.person('agent');
    const { cookie } = await signIn(s.app, agent.email);
    const theirs = await list('include=contact', { cookie });
    assert.equal(theirs.data.find((c) => c.id === first!.id)!.contact!.name, 'Anabel Martínez');
    const last = (await reads()).at(-1)!;
    assert.equal(last.actor_type, 'user');
    assert.equal(last.actor_id, agent.id);

    // An empty page shows no one: nothing to record.
    const count = (await reads()).length;
    assert.equal((await list('include=contact&state=snoozed')).data.length, 0);
    assert.equal((await reads()).length, count);

    const bad = await s.app.inject({ url: '/v1/conversations?include=contacts', headers: s.key });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.equal(bad.json().error.code, 'REQUEST_INVALID');
    assert.ok(bad.json().error.hint, 'with a hint');
  });

  it('a principal without contacts.read_pii gets the list without contacts, and nothing is recorded', async () => {
    // No role or key scope today holds conversations.read without contacts.read_pii: this app takes the
    // permission away from the admin key's principal for the conversations routes, as a future role would lack it.
    const s = await assignmentSetup(fx, { mode: 'manual' });
    await s.customer();
    const withoutPii: RouteModule = async (app, ctx) => {
      app.addHook('preHandler', async (request) => {
        const p = request.principal!;
        request.principal = { ...p, permissions: new Set([...p.permissions].filter((x) => x !== 'contacts.read_pii')) } satisfies Principal;
      });
      await conversationRoutes({ contactCards })(app, ctx);
    };
    const app = await buildApp(s.ctx, { ...APP, routes: [withoutPii] });
    fx.onTearDown(() => app.close());
    await app.ready();
    const res = await app.inject({ url: '/v1/conversations?include=contact', headers: s.key });
    assert.equal(res.statusCode, 200, res.body);
    const data = res.json().data as Listed[];
    assert.equal(data.length, 1);
    assert.ok(!('contact' in data[0]!), 'the field is withheld, as the contacts list withholds personal fields');
    const recorded = await fx.db.selectFrom('audit_entries').select('seq').where('workspace_id', '=', s.workspaceId).where('action', '=', 'contact.read_pii').execute();
    assert.equal(recorded.length, 0);
  });

  it('the contacts module reads a page of cards in one go: a merged contact has nulls, another workspace\'s is absent', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { authorization, workspaceId } = await fx.workspace();
    const other = await fx.workspace();
    const create = async (auth: string, payload: object) => (await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization: auth }, payload })).json() as { id: string };
    const survivor = await create(authorization, { phone: '+5511976540011', name: 'Bia Survivor' });
    const merged = await create(authorization, { phone: '+5511976540012', name: 'Bia Merged' });
    const foreign = await create(other.authorization, { phone: '+5511976540013', name: 'Elsewhere' });
    const res = await app.inject({ method: 'POST', url: `/v1/contacts/${survivor.id}/merge`, headers: { authorization }, payload: { contactId: merged.id } });
    assert.equal(res.statusCode, 200, res.body);
    const cards = await contactCards(ctx, { workspaceId, contactIds: [survivor.id, merged.id, foreign.id, survivor.id] });
    assert.deepEqual(cards.get(survivor.id), { name: 'Bia Survivor', phone: '+5511976540011' });
    assert.deepEqual(cards.get(merged.id), { name: null, phone: null });
    assert.equal(cards.has(foreign.id), false);
    assert.equal((await contactCards(ctx, { workspaceId, contactIds: [] })).size, 0);
  });
});
