import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { SecretOnce } from '../../components/secret-once.js';
import { ErrorNotice } from '../../error-notice.js';
import { when } from './format.js';
import type { SectionProps } from './settings-page.js';

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const KEYS = ['settings', 'api-keys'] as const;

/** API keys: the list (never their secrets), a new key shown once, and revocation. */
export function ApiKeysSection({ can }: SectionProps) {
  const client = useQueryClient();
  const keys = useQuery({ queryKey: KEYS, queryFn: () => api<{ data: ApiKey[] }>('/v1/api-keys').then((r) => r.data) });
  const revoke = useMutation({
    mutationFn: (id: string) => api<void>(`/v1/api-keys/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSettled: () => client.invalidateQueries({ queryKey: KEYS }),
  });
  const manages = can('keys.manage');

  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">API keys</h2>
      <p className="muted">Keys let your systems call the API. Each key holds scopes; it can do what they grant, and nothing else.</p>
      {manages ? <CreateKey can={can} /> : null}
      <h3>Keys of this workspace</h3>
      {keys.isPending ? <p role="status">Loading keys…</p> : null}
      {keys.error ? <ErrorNotice error={keys.error} /> : null}
      {revoke.error ? <ErrorNotice error={revoke.error} /> : null}
      {keys.data?.length === 0 ? <p className="empty">No API key yet.{manages ? ' Create one above for each system that calls Parley.' : ' Ask someone who manages keys to create one.'}</p> : null}
      {keys.data?.length ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                {manages ? <th scope="col"><span className="visually-hidden">Actions</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {keys.data.map((k) => (
                <tr key={k.id}>
                  <th scope="row">{k.name}</th>
                  <td><code>{k.prefix}</code></td>
                  <td>{k.scopes.join(', ')}</td>
                  <td>{when(k.createdAt)}</td>
                  <td>{when(k.lastUsedAt)}</td>
                  <td>{k.revokedAt ? `revoked ${when(k.revokedAt)}` : 'active'}</td>
                  {manages ? (
                    <td>
                      {k.revokedAt ? null : (
                        <ConfirmButton label="Revoke" question={`Revoke ${k.name}? Calls with it fail at once.`} confirmLabel={`Revoke ${k.name}`} disabled={revoke.isPending} onConfirm={() => revoke.mutate(k.id)} />
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function CreateKey({ can }: { can: (permission: string) => boolean }) {
  const client = useQueryClient();
  const scopes = useQuery({ queryKey: ['settings', 'api-key-scopes'], queryFn: () => api<{ data: Array<{ scope: string; permissions: string[] }> }>('/v1/api-keys/scopes').then((r) => r.data), staleTime: Infinity });
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  // The new key lives only here: leaving the page drops it, and the API never shows it again.
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const create = useMutation({
    mutationFn: (input: { name: string; scopes: string[] }) => api<ApiKey & { key: string }>('/v1/api-keys', { method: 'POST', body: input }),
    onSuccess: (key) => {
      setCreated({ name: key.name, key: key.key });
      setName('');
      setChosen([]);
      void client.invalidateQueries({ queryKey: KEYS });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen.length === 0) return setProblem('Pick at least one scope.');
    setProblem(null);
    create.mutate({ name: name.trim(), scopes: chosen });
  };
  const toggle = (scope: string, on: boolean) => setChosen((list) => (on ? [...list, scope] : list.filter((s) => s !== scope)));

  return (
    <>
      {created ? (
        <SecretOnce
          label={`New key ${created.name}`}
          value={created.key}
          warning="This is the only time Parley shows this key: it keeps only a hash of it. Store it in your system's secret store; if it is lost, revoke it and create another."
          onDone={() => setCreated(null)}
        />
      ) : null}
      <form className="panel" onSubmit={submit} aria-labelledby="new-key-heading">
        <h3 id="new-key-heading">Create a key</h3>
        <label htmlFor="key-name">Name</label>
        <input id="key-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} aria-describedby="key-name-help" />
        <p id="key-name-help" className="muted">Say which system uses it, e.g. "CRM sync".</p>
        <fieldset>
          <legend>Scopes</legend>
          {scopes.isPending ? <p role="status">Loading scopes…</p> : null}
          {scopes.error ? <ErrorNotice error={scopes.error} /> : null}
          <div className="choices">
            {scopes.data?.map(({ scope, permissions }) => {
              // A key can hand out only what the one creating it holds.
              const grantable = permissions.every(can);
              return (
                <label key={scope} className="choice" title={permissions.join(', ')}>
                  <input type="checkbox" checked={chosen.includes(scope)} disabled={!grantable} onChange={(e) => toggle(scope, e.target.checked)} />
                  {scope}{grantable ? null : <span className="muted"> (not yours to grant)</span>}
                </label>
              );
            })}
          </div>
        </fieldset>
        {problem ? <p className="error" role="alert">{problem}</p> : null}
        {create.error ? <ErrorNotice error={create.error} /> : null}
        <button type="submit" disabled={create.isPending}>{create.isPending ? 'Creating…' : 'Create key'}</button>
      </form>
    </>
  );
}
