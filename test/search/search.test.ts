import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { signIn } from '../people/helpers.js';
import { createTeam } from '../../src/access/users/team-queries.js';
import { assignmentSetup, type AssignmentSetup } from '../conversations/assignment-helpers.js';
import { customerWrites } from '../conversations/helpers.js';
import { indexWorkspace, SETTLE_MS } from '../../src/search/indexer.js';
import { takeLease } from '../../src/search/watermark-lease.js';
import { messagesForIndexing } from '../../src/messages/messages-for-indexing.js';
import { contactsForIndexing } from '../../src/contacts/contacts-for-indexing.js';
import { purgeMessageBodies } from '../../src/privacy/purge-message-bodies.js';
import { MODULES } from '../../src/main/modules.js';
import { waitFor } from '../emulator/harness.js';

const sources = { messages: messagesForIndexing, contacts: contactsForIndexing };

/** One pass of the indexer over the setup's workspace, late enough that every row has settled. */
const index = (s: Pick<AssignmentSetup, 'ctx' | 'workspaceId' | 'clock'>, owner = 'test-indexer') => indexWorkspace(s.ctx.db, s.ctx.keyring, sources, s.workspaceId, { owner, now: s.clock.now() + SETTLE_MS + 1 });

async function setup(fx: Parameters<typeof assignmentSetup>[0]) {
  const s = await assignmentSetup(fx, { mode: 'manual' });
  const { phoneNumberId } = s;
  /** A customer writes `text`; their contact is given `name`; returns the contact's id. */
  const customer = async (from: string, name: string, text: string) => {
    s.clock.advance(1000);
    await customerWrites(s.app, s.ctx, { from, text, phoneNumberId });
    const found = await s.app.inject({ url: `/v1/contacts?phone=%2B${from}`, headers: s.key });
    const id = found.json().data[0].id as string;
    const patched = await s.app.inject({ method: 'PATCH', url: `/v1/contacts/${id}`, headers: s.key, payload: { name } });
    assert.equal(patched.statusCode, 200, patched.body);
    return id;
  };
  const search = async (q: string, headers: Record<string, string> = s.key) => {
    const res = await s.app.inject({ url: `/v1/conversations?q=${encodeURIComponent(q)}`, headers });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json().data as Array<{ contactId: string }>).map((c) => c.contactId);
  };
  const contactsNamed = async (name: string) => {
    const res = await s.app.inject({ url: `/v1/contacts?name=${encodeURIComponent(name)}`, headers: s.key });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json().data as Array<{ id: string }>).map((c) => c.id);
  };
  return { ...s, customer, search, contactsNamed };
}

describeStorage('Search by name and words (the blind index)', (fx) => {
  it('finds conversations by a name prefix, an accented or unaccented word, two words together, and contacts by name', async () => {
    const s = await setup(fx);
    const anabel = await s.customer('16505550101', 'Anabel Martínez', 'Olá, a minha fatura está errada');
    const bruno = await s.customer('16505550102', 'Bruno Costa', 'Where is my order? The invoice is wrong');
    assert.deepEqual(await s.search('ana'), [], 'nothing is found before the indexer runs');
    const done = await index(s);
    assert.equal(done.messages, 2);

    assert.deepEqual(await s.search('ana'), [anabel], 'a prefix of the name');
    assert.deepEqual(await s.search('MARTINEZ an'), [anabel], 'every word of the name, any case, without its accent');
    assert.deepEqual(await s.search('fatura está'), [anabel], 'words of a message, with the accent');
    assert.deepEqual(await s.search('ESTA'), [anabel], 'and without it');
    assert.deepEqual(await s.search('invoice wrong'), [bruno], 'two words of one message');
    assert.deepEqual(await s.search('invoice fatura'), [], 'words of two different messages do not match together');
    assert.deepEqual(await s.search('fat'), [], 'a message matches whole words only');
    assert.deepEqual(await s.search('zebra'), [], 'an unknown word is an empty list');
    assert.deepEqual(await s.search('a'), [], 'a query without a term of two letters is an empty list');
    assert.deepEqual(await s.search('wrong'), [bruno], 'only the message with the word');
    assert.deepEqual(await s.contactsNamed('cos'), [bruno]);
    assert.deepEqual(await s.contactsNamed('x'), []);

    const tooLong = await s.app.inject({ url: `/v1/conversations?q=${'a'.repeat(101)}`, headers: s.key });
    assert.equal(tooLong.statusCode, 400);
    assert.equal(tooLong.json().error.code, 'REQUEST_INVALID');
    assert.ok(tooLong.json().error.hint);
  });

  it('keeps the other filters and the team scope: a person of another team does not find the conversation', async () => {
    const s = await setup(fx);
    const anabel = await s.customer('16505550201', 'Anabel Souza', 'Preciso de ajuda com o pedido');
    await index(s);
    const member = await s.person('agent', [s.teamId]);
    const otherTeam = await createTeam(fx.db, s.workspaceId, 'elsewhere');
    const outsider = await s.person('agent', [otherTeam.id]);
    const cookie = async (email: string) => ({ cookie: (await signIn(s.app, email)).cookie });
    assert.deepEqual(await s.search('pedido', await cookie(member.email)), [anabel]);
    assert.deepEqual(await s.search('pedido', await cookie(outsider.email)), [], 'another team');
    assert.deepEqual(await s.search('anabel', await cookie(outsider.email)), [], 'not by name either');
    const filtered = await s.app.inject({ url: `/v1/conversations?q=pedido&state=resolved`, headers: s.key });
    assert.deepEqual(filtered.json().data, [], 'the state filter still applies');
  });

  it('a changed name is indexed again (the old one no longer finds the contact); the indexer resumes after its watermark', async () => {
    const s = await setup(fx);
    const id = await s.customer('16505550301', 'Carla Dias', 'Bom dia');
    await index(s);
    assert.deepEqual(await s.contactsNamed('carla'), [id]);
    s.clock.advance(1000);
    await s.app.inject({ method: 'PATCH', url: `/v1/contacts/${id}`, headers: s.key, payload: { name: 'Daniela Dias' } });
    await s.customer('16505550302', 'Eva Lima', 'Boa tarde');
    const second = await index(s);
    assert.equal(second.messages, 1, 'only the message written since the last pass');
    assert.equal(second.contacts, 2, 'the renamed contact and the new one');
    assert.deepEqual(await s.contactsNamed('carla'), []);
    assert.deepEqual(await s.contactsNamed('dani dias'), [id]);
    const third = await index(s);
    assert.deepEqual([third.messages, third.contacts], [0, 0], 'nothing new: nothing read again');
  });

  it('a merged contact\'s words are found in the survivor\'s conversations, and the merged contact\'s name no longer is', async () => {
    const s = await setup(fx);
    const survivor = await s.customer('16505550601', 'Irene Costa', 'Primeira mensagem');
    const merged = await s.customer('16505550602', 'Joana Prado', 'Segunda mensagem urgente');
    await index(s);
    assert.deepEqual(await s.search('urgente'), [merged]);
    s.clock.advance(1000);
    const res = await s.app.inject({ method: 'POST', url: `/v1/contacts/${survivor}/merge`, headers: s.key, payload: { contactId: merged } });
    assert.equal(res.statusCode, 200, res.body);
    await index(s);
    assert.deepEqual([...new Set(await s.search('urgente'))], [survivor], 'the moved message, in the survivor\'s conversations');
    assert.deepEqual(await s.contactsNamed('joana'), []);
  });

  it('the composition root runs the indexer as a background worker of the search module', async () => {
    const s = await setup(fx);
    const id = await s.customer('16505550701', 'Kátia Ramos', 'Quero cancelar a assinatura');
    s.clock.advance(SETTLE_MS + 1);
    const workers = MODULES.find((m) => m.name === 'search')?.workers?.(s.ctx) ?? [];
    assert.deepEqual(workers.map((w) => w.name), ['search-indexer']);
    workers[0]!.start();
    try {
      await waitFor(async () => (await s.contactsNamed('kat')).length > 0, 'the worker to index the name', 15_000);
      await waitFor(async () => (await s.search('assinatura')).length > 0, 'the worker to index the message', 15_000);
    } finally {
      await workers[0]!.stop();
    }
    assert.deepEqual(await s.search('cancelar'), [id]);
    assert.deepEqual(await s.search('cancelar kat'), [], 'a word of a message and a prefix of a name do not combine');
  });

  it('a source leased by another worker is skipped, and taken over once the lease runs out', async () => {
    const s = await setup(fx);
    await s.customer('16505550401', 'Fábio Reis', 'Olá');
    const now = s.clock.now() + SETTLE_MS + 1;
    assert.ok(await takeLease(s.ctx.db, s.workspaceId, 'messages', 'other-worker', now, now + 60_000));
    const skipped = await indexWorkspace(s.ctx.db, s.ctx.keyring, sources, s.workspaceId, { owner: 'me', now });
    assert.deepEqual(skipped.skipped, ['messages']);
    assert.equal(skipped.messages, 0);
    const later = await indexWorkspace(s.ctx.db, s.ctx.keyring, sources, s.workspaceId, { owner: 'me', now: now + 60_000 });
    assert.equal(later.messages, 1);
  });

  it('erasing a contact deletes every term row about them; purging message bodies drops their terms', async () => {
    const s = await setup(fx);
    const gone = await s.customer('16505550501', 'Gabriela Nunes', 'A minha morada é secreta');
    const kept = await s.customer('16505550502', 'Hugo Alves', 'Mensagem antiga');
    await index(s);
    const rowsAbout = async (contactId: string) => {
      const names = await fx.db.selectFrom('search_name_terms').selectAll().execute();
      const words = await fx.db.selectFrom('search_message_terms').selectAll().execute();
      return JSON.stringify([names, words]).split(contactId).length - 1;
    };
    assert.ok((await rowsAbout(gone)) > 0);
    s.clock.advance(1000);
    const erased = await s.app.inject({ method: 'DELETE', url: `/v1/contacts/${gone}`, headers: s.key });
    assert.equal(erased.statusCode, 200, erased.body);
    assert.equal(await rowsAbout(gone), 0, 'no term row names the erased contact');
    // A pass that read one of her messages just before the erasure and wrote its terms just after it:
    // the erasure moved her contact's last change, so the next pass sweeps them.
    await fx.db.insertInto('search_message_terms').values({ workspace_id: s.workspaceId, message_id: 'msg_raced', contact_id: gone, sender_id: 'snd_raced', term_hash: 'f'.repeat(64), message_created_at: 1 }).execute();
    await index(s);
    assert.equal(await rowsAbout(gone), 0, 'nor after the indexer runs again');
    assert.deepEqual(await s.search('secreta'), []);

    assert.deepEqual(await s.search('antiga'), [kept]);
    await purgeMessageBodies(fx.db, s.workspaceId, 1, s.clock.now() + 2 * 86_400_000);
    assert.deepEqual(await s.search('antiga'), [], 'the purged message is no longer found by its words');
    assert.deepEqual(await s.search('hugo'), [kept], 'its contact still is by name');
  });
});
