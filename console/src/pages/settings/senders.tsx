import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { ErrorNotice } from '../../error-notice.js';
import { when } from './format.js';
import type { SectionProps } from './settings-page.js';

interface Sender {
  id: string;
  name: string;
  provider: string;
  phoneNumberId: string | null;
  instanceId: string | null;
  displayPhone: string | null;
  status: string;
  quality: string | null;
  mps: number;
  health: { state: string; reason: string | null; since: string };
}

interface WebhookHealth {
  senderId: string;
  lastWebhookAt: string | null;
  lastLagMs: number | null;
  alarm: boolean;
  alarmReason: string | null;
}

const lag = (ms: number | null) => (ms === null ? '—' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

/** The sender numbers with how their sending goes and when their provider last called (webhooks.read). */
export function SendersSection({ can }: SectionProps) {
  const senders = useQuery({ queryKey: ['settings', 'senders'], queryFn: () => api<{ data: Sender[] }>('/v1/senders').then((r) => r.data) });
  const readsWebhooks = can('webhooks.read');
  const health = useQuery({
    queryKey: ['settings', 'webhook-health'],
    queryFn: () => api<{ data: WebhookHealth[]; silenceMinutes: number }>('/v1/webhooks/health'),
    enabled: readsWebhooks,
  });
  const webhookOf = new Map((health.data?.data ?? []).map((h) => [h.senderId, h]));

  return (
    <section aria-labelledby="senders-heading">
      <h2 id="senders-heading">Senders</h2>
      <p className="muted">The business numbers Parley sends from. Sending health is how the dispatcher sees the provider; webhooks are what the provider sends back.</p>
      {senders.isPending ? <p role="status">Loading senders…</p> : null}
      {senders.error ? <ErrorNotice error={senders.error} /> : null}
      {health.error ? <ErrorNotice error={health.error} /> : null}
      {senders.data?.length === 0 ? <p className="empty">No sender number yet. Add one with <code>POST /v1/senders</code> or <code>parley senders add</code>; for a local trial, point it at the emulator.</p> : null}
      {senders.data?.length ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Sender numbers</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Provider</th>
                <th scope="col">Number</th>
                <th scope="col">Status</th>
                <th scope="col">Sending health</th>
                {readsWebhooks ? <th scope="col">Last webhook</th> : null}
                {readsWebhooks ? <th scope="col">Webhook lag</th> : null}
                {readsWebhooks ? <th scope="col">Webhook alarm</th> : null}
              </tr>
            </thead>
            <tbody>
              {senders.data.map((s) => {
                const hook = webhookOf.get(s.id);
                return (
                  <tr key={s.id} data-sender-id={s.id}>
                    <th scope="row">{s.name}</th>
                    <td>{s.provider}</td>
                    <td>{s.displayPhone ?? s.phoneNumberId ?? s.instanceId ?? '—'}</td>
                    <td>{s.status}</td>
                    <td>
                      <span className={`badge badge-${s.health.state === 'ok' ? 'ok' : 'bad'}`}>{s.health.state}</span>
                      {s.health.reason ? <span className="muted"> {s.health.reason}</span> : null}
                    </td>
                    {readsWebhooks ? <td>{health.isPending ? '…' : when(hook?.lastWebhookAt)}</td> : null}
                    {readsWebhooks ? <td>{lag(hook?.lastLagMs ?? null)}</td> : null}
                    {readsWebhooks ? (
                      <td>{hook?.alarm ? <span className="badge badge-bad">alarm</span> : <span className="badge badge-ok">none</span>}{hook?.alarmReason ? <span className="muted"> {hook.alarmReason}</span> : null}</td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {health.data ? <p className="muted">The alarm rises when messages went out but no status webhook came for {health.data.silenceMinutes} minutes.</p> : null}
    </section>
  );
}
