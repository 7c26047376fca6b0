import { useState, type FormEvent } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { SecretOnce } from '../../components/secret-once.js';
import { ErrorNotice } from '../../error-notice.js';
import { when } from './format.js';
import type { SectionProps } from './settings-page.js';

interface Subscription {
  id: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  enabled: boolean;
  createdAt: string;
}

interface DeadLetter {
  id: string;
  eventId: string;
  eventType: string;
  subscriptionId: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  updatedAt: string;
}

const SUBSCRIPTIONS = ['settings', 'event-subscriptions'] as const;
const DEAD = ['settings', 'event-dead-letters'] as const;

/** Event webhooks to business systems: subscriptions, and the deliveries given up on, to replay. */
export function EventWebhooksSection({ can }: SectionProps) {
  const client = useQueryClient();
  const subscriptions = useQuery({ queryKey: SUBSCRIPTIONS, queryFn: () => api<{ data: Subscription[] }>('/v1/event-subscriptions').then((r) => r.data) });
  const manages = can('webhooks.manage');
  const refresh = () => Promise.all([client.invalidateQueries({ queryKey: SUBSCRIPTIONS }), client.invalidateQueries({ queryKey: DEAD })]);
  const toggle = useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) => api<Subscription>(`/v1/event-subscriptions/${encodeURIComponent(id)}`, { method: 'PATCH', body: { enabled } }),
    onSettled: refresh,
  });
  const remove = useMutation({ mutationFn: (id: string) => api<void>(`/v1/event-subscriptions/${encodeURIComponent(id)}`, { method: 'DELETE' }), onSettled: refresh });
  const busy = toggle.isPending || remove.isPending;

  return (
    <section aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Event webhooks</h2>
      <p className="muted">Parley posts the events you subscribe to, signed with the subscription&apos;s secret, to your systems; a delivery that keeps failing ends among the dead letters below.</p>
      {manages ? <CreateSubscription /> : null}
      <h3>Subscriptions</h3>
      {subscriptions.isPending ? <p role="status">Loading subscriptions…</p> : null}
      {subscriptions.error ? <ErrorNotice error={subscriptions.error} /> : null}
      {toggle.error ? <ErrorNotice error={toggle.error} /> : null}
      {remove.error ? <ErrorNotice error={remove.error} /> : null}
      {subscriptions.data?.length === 0 ? <p className="empty">No subscription yet.{manages ? ' Add the URL of a system that should hear about messages and conversations above.' : ''}</p> : null}
      {subscriptions.data?.length ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Event subscriptions</caption>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">Description</th>
                <th scope="col">State</th>
                {manages ? <th scope="col"><span className="visually-hidden">Actions</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {subscriptions.data.map((s) => (
                <tr key={s.id}>
                  <th scope="row" className="url">{s.url}</th>
                  <td>{s.eventTypes.join(', ')}</td>
                  <td>{s.description ?? '—'}</td>
                  <td>{s.enabled ? 'enabled' : 'paused'}</td>
                  {manages ? (
                    <td className="row-actions">
                      <button type="button" className="secondary" disabled={busy} onClick={() => toggle.mutate({ id: s.id, enabled: !s.enabled })}>{s.enabled ? 'Pause' : 'Resume'}<span className="visually-hidden"> {s.url}</span></button>
                      <ConfirmButton label="Delete" question={`Delete the subscription to ${s.url}? Its undelivered events are dropped.`} confirmLabel="Delete subscription" disabled={busy} onConfirm={() => remove.mutate(s.id)} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <DeadLetters subscriptions={subscriptions.data ?? []} manages={manages} />
    </section>
  );
}

function CreateSubscription() {
  const client = useQueryClient();
  const types = useQuery({ queryKey: ['settings', 'event-types'], queryFn: () => api<{ data: string[]; families: string[] }>('/v1/event-types'), staleTime: Infinity });
  const [url, setUrl] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [description, setDescription] = useState('');
  const [secret, setSecret] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [generated, setGenerated] = useState<{ url: string; secret: string } | null>(null);
  const create = useMutation({
    mutationFn: (body: { url: string; eventTypes: string[]; description?: string; secret?: string }) => api<Subscription & { secret?: string }>('/v1/event-subscriptions', { method: 'POST', body }),
    onSuccess: (created) => {
      if (created.secret) setGenerated({ url: created.url, secret: created.secret });
      setUrl('');
      setChosen([]);
      setDescription('');
      setSecret('');
      void client.invalidateQueries({ queryKey: SUBSCRIPTIONS });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen.length === 0) return setProblem('Pick at least one event type.');
    setProblem(null);
    create.mutate({ url: url.trim(), eventTypes: chosen, ...(description.trim() ? { description: description.trim() } : {}), ...(secret ? { secret } : {}) });
  };
  const all = [...(types.data?.families ?? []), ...(types.data?.data ?? [])];

  return (
    <>
      {generated ? (
        <SecretOnce
          label={`Signing secret for ${generated.url}`}
          value={generated.secret}
          warning="Your system checks each delivery's signature with this secret. Parley shows it only this once; to replace it, rotate it through the API."
          onDone={() => setGenerated(null)}
        />
      ) : null}
      <form className="panel" onSubmit={submit} aria-labelledby="new-subscription-heading">
        <h3 id="new-subscription-heading">Subscribe a URL</h3>
        <label htmlFor="subscription-url">URL</label>
        <input id="subscription-url" type="url" required maxLength={2000} placeholder="https://crm.example.com/parley-events" value={url} onChange={(e) => setUrl(e.target.value)} />
        <fieldset>
          <legend>Events</legend>
          {types.isPending ? <p role="status">Loading event types…</p> : null}
          {types.error ? <ErrorNotice error={types.error} /> : null}
          <div className="choices">
            {all.map((t) => (
              <label key={t} className="choice">
                <input type="checkbox" checked={chosen.includes(t)} onChange={(e) => setChosen((list) => (e.target.checked ? [...list, t] : list.filter((x) => x !== t)))} />
                {t.endsWith('.*') ? `${t} (every ${t.slice(0, -2)} event)` : t}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="grid-2">
          <div>
            <label htmlFor="subscription-description">Description (optional)</label>
            <input id="subscription-description" maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} />
          </div>
          <div>
            <label htmlFor="subscription-secret">Your own signing secret (optional)</label>
            <input id="subscription-secret" type="password" autoComplete="off" minLength={16} maxLength={200} value={secret} onChange={(e) => setSecret(e.target.value)} aria-describedby="subscription-secret-help" />
            <p id="subscription-secret-help" className="muted">At least 16 characters. Leave it empty and Parley generates one, shown once.</p>
          </div>
        </div>
        {problem ? <p className="error" role="alert">{problem}</p> : null}
        {create.error ? <ErrorNotice error={create.error} /> : null}
        <button type="submit" disabled={create.isPending}>{create.isPending ? 'Subscribing…' : 'Subscribe'}</button>
      </form>
    </>
  );
}

function DeadLetters({ subscriptions, manages }: { subscriptions: Subscription[]; manages: boolean }) {
  const client = useQueryClient();
  const dead = useInfiniteQuery({
    queryKey: DEAD,
    queryFn: ({ pageParam }) => api<{ data: DeadLetter[]; nextCursor: string | null }>(`/v1/event-dead-letters?limit=50${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const [replayed, setReplayed] = useState<string | null>(null);
  const replay = useMutation({
    mutationFn: (id: string | null) => api<{ replayed: number }>(id ? `/v1/event-dead-letters/${encodeURIComponent(id)}/replay` : '/v1/event-dead-letters/replay', { method: 'POST', ...(id ? {} : { body: {} }) }),
    onSuccess: (answer) => setReplayed(`${answer.replayed} ${answer.replayed === 1 ? 'delivery is' : 'deliveries are'} queued again.`),
    onSettled: () => client.invalidateQueries({ queryKey: DEAD }),
  });
  const letters = dead.data?.pages.flatMap((p) => p.data) ?? [];
  const urlOf = new Map(subscriptions.map((s) => [s.id, s.url]));

  return (
    <>
      <h3>Dead letters</h3>
      <p className="muted">Deliveries Parley gave up on (they kept failing until they were too old, or the target was refused), newest first. Replaying delivers one again from now.</p>
      {dead.isPending ? <p role="status">Loading dead letters…</p> : null}
      {dead.error ? <ErrorNotice error={dead.error} /> : null}
      {replay.error ? <ErrorNotice error={replay.error} /> : null}
      <p role="status">{replayed ?? ''}</p>
      {dead.isSuccess && letters.length === 0 ? <p className="empty">No dead letter: every event was delivered or is still being retried.</p> : null}
      {letters.length ? (
        <>
          {manages ? <button type="button" className="secondary" disabled={replay.isPending} onClick={() => replay.mutate(null)}>Replay all</button> : null}
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Dead letters</caption>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Subscription</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last answer</th>
                  <th scope="col">Given up</th>
                  {manages ? <th scope="col"><span className="visually-hidden">Actions</span></th> : null}
                </tr>
              </thead>
              <tbody>
                {letters.map((d) => (
                  <tr key={d.id} data-dead-letter-id={d.id}>
                    <th scope="row">{d.eventType} <span className="muted">{d.eventId}</span></th>
                    <td className="url">{urlOf.get(d.subscriptionId) ?? d.subscriptionId}</td>
                    <td>{d.attempts}</td>
                    <td>{d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : ''}{d.lastError ? <span className="muted"> {d.lastError}</span> : null}</td>
                    <td>{when(d.updatedAt)}</td>
                    {manages ? <td><button type="button" disabled={replay.isPending} onClick={() => replay.mutate(d.id)}>Replay<span className="visually-hidden"> {d.eventType} {d.eventId}</span></button></td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {dead.hasNextPage ? <button type="button" className="secondary" disabled={dead.isFetchingNextPage} onClick={() => void dead.fetchNextPage()}>Show older</button> : null}
        </>
      ) : null}
    </>
  );
}
