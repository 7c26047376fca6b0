import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.js';
import { ErrorNotice } from '../../error-notice.js';
import type { ConversationDetail } from './types.js';

type Form = 'assign' | 'transfer' | 'escalate' | 'snooze' | null;
interface Person { id: string; name: string; status: string }
interface Team { id: string; name: string }

/** The actions on a conversation the session's permissions allow, and their forms. `open` lets keyboard shortcuts open a form or act. */
export function Actions({ c, permissions, selfId, request }: {
  c: ConversationDetail;
  permissions: readonly string[];
  selfId: string;
  request: { form: Form; act: 'resolve' | null; n: number };
}) {
  const id = useId();
  const client = useQueryClient();
  const [form, setForm] = useState<Form>(null);
  const [value, setValue] = useState('');
  const first = useRef<HTMLElement | null>(null);
  const mayReply = permissions.includes('conversations.reply');
  const mayAssign = permissions.includes('conversations.assign');
  const readsUsers = permissions.includes('users.read');
  const open = c.state !== 'resolved';
  const mine = c.owner.type === 'user' && c.owner.userId === selfId;

  const users = useQuery({ queryKey: ['users'], queryFn: () => api<{ data: Person[] }>('/v1/users').then((r) => r.data.filter((u) => u.status === 'active')), enabled: readsUsers && form === 'assign', staleTime: 60_000 });
  const teams = useQuery({ queryKey: ['teams'], queryFn: () => api<{ data: Team[] }>('/v1/teams').then((r) => r.data), enabled: readsUsers && (form === 'transfer' || form === 'escalate'), staleTime: 60_000 });

  const act = useMutation({
    mutationFn: ({ path, body }: { path: string; body: Record<string, unknown> }) => api(`/v1/conversations/${c.id}/${path}`, { method: 'POST', body }),
    onSuccess: () => {
      setForm(null);
      setValue('');
      void client.invalidateQueries({ queryKey: ['conversation', c.id] });
      void client.invalidateQueries({ queryKey: ['conversations'] });
    },
  });

  const openForm = (f: Form) => {
    act.reset();
    setValue('');
    setForm(f);
  };
  // A shortcut asks for a form or an action (only those the buttons offer).
  useEffect(() => {
    if (request.n === 0) return;
    if (request.form === 'assign' && mayAssign && open) openForm('assign');
    if (request.form === 'snooze' && mayReply && open) openForm('snooze');
    if (request.act === 'resolve' && mayReply && open && !act.isPending) act.mutate({ path: 'resolve', body: {} });
  }, [request.n]);
  useEffect(() => first.current?.focus(), [form]);

  if (!mayReply && !mayAssign) return null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = value.trim();
    if (form === 'assign' && v) act.mutate({ path: 'assign', body: { userId: v } });
    if (form === 'transfer' && v) act.mutate({ path: 'transfer', body: { teamId: v } });
    if (form === 'escalate' && v) act.mutate({ path: 'escalate', body: { reason: v } });
    if (form === 'snooze') act.mutate({ path: 'snooze', body: v ? { until: new Date(v).toISOString() } : {} });
  };

  const button = (label: string, onClick: () => void, shortcut?: string) => (
    <button type="button" className="secondary" onClick={onClick} disabled={act.isPending} aria-keyshortcuts={shortcut}>{label}</button>
  );

  return (
    <div className="actions">
      <div className="action-buttons" role="group" aria-label="Actions">
        {mayReply && open && !mine ? button(c.owner.type === 'user' || c.owner.type === 'bot' ? 'Take over' : 'Take', () => act.mutate({ path: 'take', body: c.owner.type === 'nobody' ? {} : { takeOver: true } })) : null}
        {mayReply && open && mine ? button('Release', () => act.mutate({ path: 'release', body: {} })) : null}
        {mayAssign && open ? button('Assign…', () => openForm('assign'), 'a') : null}
        {mayAssign && open ? button('Transfer…', () => openForm('transfer')) : null}
        {mayReply && open ? button('Escalate…', () => openForm('escalate')) : null}
        {mayReply && open && c.state !== 'snoozed' ? button('Snooze…', () => openForm('snooze'), 's') : null}
        {mayReply && open ? button('Resolve', () => act.mutate({ path: 'resolve', body: {} }), 'e') : null}
        {mayReply && !open ? button('Reopen', () => act.mutate({ path: 'reopen', body: {} })) : null}
      </div>
      {form ? (
        <form className="action-form" onSubmit={submit} aria-label={form[0]!.toUpperCase() + form.slice(1)}>
          {form === 'assign' ? (
            readsUsers ? (
              <>
                <label htmlFor={`${id}-v`}>Assign to</label>
                <select id={`${id}-v`} ref={(el) => { first.current = el; }} value={value} onChange={(e) => setValue(e.target.value)}>
                  <option value="">Choose a person…</option>
                  {users.data?.map((u) => <option key={u.id} value={u.id}>{u.name}{u.id === selfId ? ' (you)' : ''}</option>)}
                </select>
              </>
            ) : (
              <>
                <label htmlFor={`${id}-v`}>Assign to (user id)</label>
                <input id={`${id}-v`} ref={(el) => { first.current = el; }} value={value} onChange={(e) => setValue(e.target.value)} />
              </>
            )
          ) : null}
          {form === 'transfer' ? (
            readsUsers ? (
              <>
                <label htmlFor={`${id}-v`}>Transfer to team</label>
                <select id={`${id}-v`} ref={(el) => { first.current = el; }} value={value} onChange={(e) => setValue(e.target.value)}>
                  <option value="">Choose a team…</option>
                  {teams.data?.map((t) => <option key={t.id} value={t.id} disabled={t.id === c.teamId}>{t.name}</option>)}
                </select>
                {teams.data?.length === 0 ? <p className="muted">The workspace has no team yet: an admin creates them under Teams.</p> : null}
              </>
            ) : (
              <>
                <label htmlFor={`${id}-v`}>Transfer to team (team id)</label>
                <input id={`${id}-v`} ref={(el) => { first.current = el; }} value={value} onChange={(e) => setValue(e.target.value)} />
              </>
            )
          ) : null}
          {form === 'escalate' ? (
            <>
              <label htmlFor={`${id}-v`}>Why escalate?</label>
              <input id={`${id}-v`} ref={(el) => { first.current = el; }} value={value} maxLength={500} onChange={(e) => setValue(e.target.value)} />
            </>
          ) : null}
          {form === 'snooze' ? (
            <>
              <label htmlFor={`${id}-v`}>Snooze until (empty: until the customer writes)</label>
              <input id={`${id}-v`} type="datetime-local" ref={(el) => { first.current = el; }} value={value} onChange={(e) => setValue(e.target.value)} />
            </>
          ) : null}
          <button type="submit" disabled={act.isPending || (form !== 'snooze' && !value.trim())}>{form === 'snooze' ? 'Snooze' : form === 'assign' ? 'Assign' : form === 'transfer' ? 'Transfer' : 'Escalate'}</button>
          <button type="button" className="secondary" onClick={() => setForm(null)}>Cancel</button>
        </form>
      ) : null}
      {act.error ? <ErrorNotice error={act.error} /> : null}
    </div>
  );
}

export type ActionRequest = { form: Form; act: 'resolve' | null; n: number };
