import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { SecretOnce } from '../../components/secret-once.js';
import { ErrorNotice } from '../../error-notice.js';
import { ROLES, TEAMS_KEY, USERS_KEY, useTeams, useUsers, type User } from './people.js';
import type { SectionProps } from './settings-page.js';

/** The people of the workspace: invite, change role, deactivate and reactivate, remove. */
export function UsersSection({ session, can }: SectionProps) {
  const client = useQueryClient();
  const users = useUsers();
  const teams = useTeams();
  const manages = can('users.manage');
  const teamName = new Map((teams.data ?? []).map((t) => [t.id, t.name]));
  const refresh = () => Promise.all([client.invalidateQueries({ queryKey: USERS_KEY }), client.invalidateQueries({ queryKey: TEAMS_KEY })]);
  const change = useMutation({
    mutationFn: ({ id, ...body }: { id: string; role?: string; status?: string }) => api<User>(`/v1/users/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
    onSettled: refresh,
  });
  const remove = useMutation({ mutationFn: (id: string) => api<void>(`/v1/users/${encodeURIComponent(id)}`, { method: 'DELETE' }), onSettled: refresh });
  const busy = change.isPending || remove.isPending;

  return (
    <section aria-labelledby="users-heading">
      <h2 id="users-heading">Users</h2>
      {manages ? <InviteUser /> : null}
      <h3>People in this workspace</h3>
      {users.isPending ? <p role="status">Loading users…</p> : null}
      {users.error ? <ErrorNotice error={users.error} /> : null}
      {change.error ? <ErrorNotice error={change.error} /> : null}
      {remove.error ? <ErrorNotice error={remove.error} /> : null}
      {users.data?.length ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Users</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Teams</th>
                {manages ? <th scope="col"><span className="visually-hidden">Actions</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {users.data.map((u) => (
                <tr key={u.id} data-user-id={u.id}>
                  <th scope="row">{u.name}{u.id === session.user.id ? <span className="muted"> (you)</span> : null}</th>
                  <td>{u.email}</td>
                  <td>
                    {manages ? (
                      <select aria-label={`Role of ${u.name}`} value={u.role} disabled={busy} onChange={(e) => change.mutate({ id: u.id, role: e.target.value })}>
                        {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                      </select>
                    ) : u.role}
                  </td>
                  <td>{u.status}</td>
                  <td>{u.teams.map((t) => teamName.get(t) ?? t).join(', ') || '—'}</td>
                  {manages ? (
                    <td className="row-actions">
                      {u.status === 'disabled' ? (
                        <button type="button" className="secondary" disabled={busy} onClick={() => change.mutate({ id: u.id, status: 'active' })}>Reactivate</button>
                      ) : u.status === 'active' ? (
                        <ConfirmButton label="Deactivate" question={`Deactivate ${u.name}? They are signed out at once and cannot sign in until reactivated.`} confirmLabel={`Deactivate ${u.name}`} disabled={busy} onConfirm={() => change.mutate({ id: u.id, status: 'disabled' })} />
                      ) : null}
                      <ConfirmButton label="Remove" question={`Remove ${u.name} for good? Their sessions and invitations end.`} confirmLabel={`Remove ${u.name}`} disabled={busy} onConfirm={() => remove.mutate(u.id)} />
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

function InviteUser() {
  const client = useQueryClient();
  const teams = useTeams();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<string>('agent');
  const [chosen, setChosen] = useState<string[]>([]);
  const [invited, setInvited] = useState<{ email: string; url: string; emailed: boolean } | null>(null);
  const invite = useMutation({
    mutationFn: (body: { email: string; name?: string; role: string; teams: string[] }) => api<{ user: User; invitation: { url: string; expiresAt: string; emailed: boolean } }>('/v1/users', { method: 'POST', body }),
    onSuccess: (answer) => {
      setInvited({ email: answer.user.email, url: answer.invitation.url, emailed: answer.invitation.emailed });
      setEmail('');
      setName('');
      setChosen([]);
      void client.invalidateQueries({ queryKey: USERS_KEY });
      void client.invalidateQueries({ queryKey: TEAMS_KEY });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate({ email: email.trim(), ...(name.trim() ? { name: name.trim() } : {}), role, teams: chosen });
  };

  return (
    <>
      {invited ? (
        <SecretOnce
          label={`Invitation link for ${invited.email}`}
          value={invited.url}
          warning={`${invited.emailed ? 'It was also emailed to them. ' : 'Parley has no mail server configured, so send it to them yourself. '}The link works once, until it expires, and is not shown again; whoever opens it sets the account's password.`}
          onDone={() => setInvited(null)}
        />
      ) : null}
      <form className="panel" onSubmit={submit} aria-labelledby="invite-heading">
        <h3 id="invite-heading">Invite someone</h3>
        <div className="grid-2">
          <div>
            <label htmlFor="invite-email">Email</label>
            <input id="invite-email" type="email" required maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} />
          </div>
          <div>
            <label htmlFor="invite-name">Name (optional)</label>
            <input id="invite-name" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <div>
            <label htmlFor="invite-role">Role</label>
            <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value)}>
              {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          </div>
        </div>
        {teams.data?.length ? (
          <fieldset>
            <legend>Teams</legend>
            <div className="choices">
              {teams.data.map((t) => (
                <label key={t.id} className="choice">
                  <input type="checkbox" checked={chosen.includes(t.id)} onChange={(e) => setChosen((list) => (e.target.checked ? [...list, t.id] : list.filter((x) => x !== t.id)))} />
                  {t.name}
                </label>
              ))}
            </div>
          </fieldset>
        ) : null}
        {invite.error ? <ErrorNotice error={invite.error} /> : null}
        <button type="submit" disabled={invite.isPending}>{invite.isPending ? 'Inviting…' : 'Invite'}</button>
      </form>
    </>
  );
}
