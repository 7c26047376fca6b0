import { useState, type FormEvent } from 'react';
import { useCursorPages } from '../../components/cursor-pages.js';
import { ErrorNotice } from '../../error-notice.js';
import { Link } from '../../link.js';
import { navigate } from '../../router.js';
import { type Contact, when } from './types.js';
import './contacts.css';

/** The search fields, as they appear in the page's address (so a search can be shared and survives a reload). */
const FIELDS = ['name', 'phone', 'country', 'email', 'tag', 'attribute'] as const;
type Field = (typeof FIELDS)[number];
type Form = Record<Field, string> & { includeErased: boolean; includeMerged: boolean };

const PAGE = 25;

function formOf(search: URLSearchParams): Form {
  const form = Object.fromEntries(FIELDS.map((f) => [f, search.get(f) ?? ''])) as Record<Field, string>;
  return { ...form, includeErased: search.get('includeErased') === 'true', includeMerged: search.get('includeMerged') === 'true' };
}

function queryOf(form: Form): string {
  const params = new URLSearchParams();
  for (const f of FIELDS) if (form[f].trim()) params.set(f, form[f].trim());
  if (form.includeErased) params.set('includeErased', 'true');
  if (form.includeMerged) params.set('includeMerged', 'true');
  return params.toString();
}

export function ContactsPage({ search }: { search: URLSearchParams }) {
  const applied = formOf(search);
  const appliedQuery = queryOf(applied);
  const [form, setForm] = useState<Form>(applied);
  const { list, page, previous, next } = useCursorPages<Contact>('contacts', '/v1/contacts', appliedQuery, PAGE);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const query = queryOf(form);
    navigate(`/contacts${query ? `?${query}` : ''}`);
  };
  const clear = () => {
    setForm(formOf(new URLSearchParams()));
    navigate('/contacts');
  };
  const field = (name: Field, label: string, hint?: string) => (
    <label>
      {label}
      <input name={name} value={form[name]} placeholder={hint} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
    </label>
  );
  const filtered = appliedQuery !== '';

  return (
    <section className="contacts-page" aria-labelledby="contacts-heading">
      <h1 id="contacts-heading">Contacts</h1>
      <form className="search-form" role="search" aria-label="Search contacts" onSubmit={submit}>
        {field('name', 'Name', 'Ana or ana mar (the start of each word)')}
        {field('phone', 'Phone number', '+5511987654321')}
        {field('country', 'Country of a national number', 'BR')}
        {field('email', 'Email')}
        {field('tag', 'Tag')}
        {field('attribute', 'Attribute (key=value)', 'plan=gold')}
        <label className="check"><input type="checkbox" checked={form.includeErased} onChange={(e) => setForm({ ...form, includeErased: e.target.checked })} /> Include erased contacts</label>
        <label className="check"><input type="checkbox" checked={form.includeMerged} onChange={(e) => setForm({ ...form, includeMerged: e.target.checked })} /> Include merged contacts</label>
        <div className="actions">
          <button type="submit">Search</button>
          {filtered ? <button type="button" onClick={clear}>Clear</button> : null}
        </div>
      </form>
      {list.isPending ? <p role="status">Loading contacts…</p> : null}
      {list.error ? <ErrorNotice error={list.error} /> : null}
      {list.data?.data.length === 0 ? (
        <p className="empty">
          {filtered
            ? 'No contact matches this search. Check the number (any form of it matches, a national one with its country) or the name (words of two letters or more; a changed name is found within seconds), or clear the search.'
            : 'No contacts yet. They appear when a customer writes to one of your numbers, or when you create or import them through the API (POST /v1/contacts, POST /v1/contacts/import).'}
        </p>
      ) : null}
      {list.data?.data.length ? (
        <table className="data-table" aria-label="Contacts">
          <thead>
            <tr><th scope="col">Contact</th><th scope="col">Phone</th><th scope="col">Tags</th><th scope="col">Created</th><th scope="col">State</th></tr>
          </thead>
          <tbody>
            {list.data.data.map((c) => (
              <tr key={c.id}>
                <td><Link to={`/contacts/${c.id}`}>{c.name ?? c.id}</Link></td>
                <td>{c.phone ?? (c.redacted?.includes('phone') ? <span className="muted">withheld</span> : '—')}</td>
                <td>{c.tags.length ? c.tags.map((t) => <span key={t} className="tag">{t}</span>) : <span className="muted">none</span>}</td>
                <td>{when(c.createdAt)}</td>
                <td>{c.erasedAt ? 'Erased' : c.mergedInto ? 'Merged' : 'Active'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {list.data && (page > 1 || list.data.nextCursor) ? (
        <nav className="pager" aria-label="Pages of contacts">
          <button type="button" disabled={page <= 1} onClick={previous}>Previous page</button>
          <span>Page {page}</span>
          <button type="button" disabled={!list.data.nextCursor} onClick={next}>Next page</button>
        </nav>
      ) : null}
    </section>
  );
}
