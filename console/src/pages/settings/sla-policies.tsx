import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { ErrorNotice } from '../../error-notice.js';
import { useTeams } from './people.js';
import type { SectionProps } from './settings-page.js';

interface Policy {
  id: string;
  name: string;
  scope: 'default' | 'team' | 'sender';
  scopeId: string | null;
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  businessHours: boolean;
  nearBreachPercent: number;
}
type PolicyInput = Omit<Policy, 'id'>;

const KEY = ['settings', 'sla-policies'] as const;
const TARGETS = [
  ['firstResponseMinutes', 'First response'],
  ['nextResponseMinutes', 'Next response'],
  ['resolutionMinutes', 'Resolution'],
] as const;

/** SLA policies: one for the workspace, and ones for a team or a sender that win over it. */
export function SlaPoliciesSection({ can }: SectionProps) {
  const client = useQueryClient();
  const policies = useQuery({ queryKey: KEY, queryFn: () => api<{ data: Policy[] }>('/v1/sla-policies').then((r) => r.data) });
  const teams = useTeams(can('users.read'));
  const senders = useQuery({ queryKey: ['settings', 'senders'], queryFn: () => api<{ data: Array<{ id: string; name: string }> }>('/v1/senders').then((r) => r.data), enabled: can('senders.read') });
  const manages = can('settings.manage');
  const [editing, setEditing] = useState<Policy | 'new' | null>(null);
  const remove = useMutation({ mutationFn: (id: string) => api<void>(`/v1/sla-policies/${encodeURIComponent(id)}`, { method: 'DELETE' }), onSettled: () => client.invalidateQueries({ queryKey: KEY }) });
  const scopeName = (p: Policy) => {
    if (p.scope === 'default') return 'Whole workspace';
    const list = p.scope === 'team' ? teams.data : senders.data;
    return `${p.scope === 'team' ? 'Team' : 'Sender'} ${list?.find((x) => x.id === p.scopeId)?.name ?? p.scopeId}`;
  };

  return (
    <section aria-labelledby="sla-heading">
      <h2 id="sla-heading">SLA policies</h2>
      <p className="muted">Targets for answering and resolving conversations. A sender&apos;s policy wins over a team&apos;s, a team&apos;s over the workspace&apos;s.</p>
      {manages && editing === null ? <button type="button" onClick={() => setEditing('new')}>New policy</button> : null}
      {editing !== null ? (
        <PolicyForm key={editing === 'new' ? 'new' : editing.id} policy={editing === 'new' ? null : editing} teams={teams.data ?? []} senders={senders.data ?? []} onDone={() => setEditing(null)} />
      ) : null}
      {policies.isPending ? <p role="status">Loading policies…</p> : null}
      {policies.error ? <ErrorNotice error={policies.error} /> : null}
      {remove.error ? <ErrorNotice error={remove.error} /> : null}
      {policies.data?.length === 0 ? <p className="empty">No SLA policy yet: no conversation is timed.{manages ? ' Create a policy for the whole workspace first.' : ''}</p> : null}
      {policies.data?.length ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">SLA policies</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Applies to</th>
                {TARGETS.map(([, label]) => <th scope="col" key={label}>{label}</th>)}
                <th scope="col">Clock</th>
                <th scope="col">Near breach at</th>
                {manages ? <th scope="col"><span className="visually-hidden">Actions</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {policies.data.map((p) => (
                <tr key={p.id}>
                  <th scope="row">{p.name}</th>
                  <td>{scopeName(p)}</td>
                  {TARGETS.map(([field]) => <td key={field}>{p[field] === null ? '—' : `${p[field]} min`}</td>)}
                  <td>{p.businessHours ? 'business hours' : 'wall clock'}</td>
                  <td>{p.nearBreachPercent}%</td>
                  {manages ? (
                    <td className="row-actions">
                      <button type="button" className="secondary" onClick={() => setEditing(p)}>Edit<span className="visually-hidden"> {p.name}</span></button>
                      <ConfirmButton label="Delete" question={`Delete the policy ${p.name}? Its conversations are no longer timed by it.`} confirmLabel={`Delete ${p.name}`} disabled={remove.isPending} onConfirm={() => remove.mutate(p.id)} />
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

const minutesText = (m: number | null) => (m === null ? '' : String(m));

function PolicyForm({ policy, teams, senders, onDone }: { policy: Policy | null; teams: Array<{ id: string; name: string }>; senders: Array<{ id: string; name: string }>; onDone: () => void }) {
  const client = useQueryClient();
  const [name, setName] = useState(policy?.name ?? '');
  const [scope, setScope] = useState<Policy['scope']>(policy?.scope ?? 'default');
  const [scopeId, setScopeId] = useState(policy?.scopeId ?? '');
  const [targets, setTargets] = useState<Record<(typeof TARGETS)[number][0], string>>({
    firstResponseMinutes: minutesText(policy?.firstResponseMinutes ?? null),
    nextResponseMinutes: minutesText(policy?.nextResponseMinutes ?? null),
    resolutionMinutes: minutesText(policy?.resolutionMinutes ?? null),
  });
  const [businessHours, setBusinessHours] = useState(policy?.businessHours ?? false);
  const [near, setNear] = useState(String(policy?.nearBreachPercent ?? 80));
  const [problem, setProblem] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (body: PolicyInput) => (policy ? api<Policy>(`/v1/sla-policies/${encodeURIComponent(policy.id)}`, { method: 'PUT', body }) : api<Policy>('/v1/sla-policies', { method: 'POST', body })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: KEY });
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const minutes = (text: string) => (text.trim() === '' ? null : Number(text));
    const body: PolicyInput = {
      name: name.trim(), scope, scopeId: scope === 'default' ? null : scopeId,
      firstResponseMinutes: minutes(targets.firstResponseMinutes), nextResponseMinutes: minutes(targets.nextResponseMinutes), resolutionMinutes: minutes(targets.resolutionMinutes),
      businessHours, nearBreachPercent: Number(near),
    };
    if (body.firstResponseMinutes === null && body.nextResponseMinutes === null && body.resolutionMinutes === null) return setProblem('Set at least one target.');
    setProblem(null);
    save.mutate(body);
  };
  const choices = scope === 'team' ? teams : scope === 'sender' ? senders : [];

  return (
    <form className="panel" onSubmit={submit} aria-labelledby="policy-form-heading">
      <h3 id="policy-form-heading">{policy ? `Edit ${policy.name}` : 'New SLA policy'}</h3>
      <div className="grid-2">
        <div>
          <label htmlFor="policy-name">Name</label>
          <input id="policy-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div>
          <label htmlFor="policy-scope">Applies to</label>
          <select id="policy-scope" value={scope} onChange={(e) => { setScope(e.target.value as Policy['scope']); setScopeId(''); }}>
            <option value="default">The whole workspace</option>
            <option value="team">One team</option>
            <option value="sender">One sender number</option>
          </select>
        </div>
        {scope !== 'default' ? (
          <div>
            <label htmlFor="policy-scope-id">{scope === 'team' ? 'Team' : 'Sender'}</label>
            <select id="policy-scope-id" required value={scopeId} onChange={(e) => setScopeId(e.target.value)}>
              <option value="">Choose…</option>
              {choices.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </select>
          </div>
        ) : null}
        {TARGETS.map(([field, label]) => (
          <div key={field}>
            <label htmlFor={`policy-${field}`}>{label} target, minutes (empty: none)</label>
            <input id={`policy-${field}`} type="number" min={1} max={525600} step={1} value={targets[field]} onChange={(e) => setTargets((t) => ({ ...t, [field]: e.target.value }))} />
          </div>
        ))}
        <div>
          <label htmlFor="policy-near">Near breach at, % of the target</label>
          <input id="policy-near" type="number" required min={1} max={99} step={1} value={near} onChange={(e) => setNear(e.target.value)} />
        </div>
      </div>
      <label className="choice">
        <input type="checkbox" checked={businessHours} onChange={(e) => setBusinessHours(e.target.checked)} />
        Count only business hours
      </label>
      {problem ? <p className="error" role="alert">{problem}</p> : null}
      {save.error ? <ErrorNotice error={save.error} /> : null}
      <div className="actions">
        <button type="submit" disabled={save.isPending}>{save.isPending ? 'Saving…' : policy ? 'Save policy' : 'Create policy'}</button>
        <button type="button" className="secondary" onClick={onDone}>Cancel</button>
      </div>
    </form>
  );
}
