import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { ErrorNotice } from '../../error-notice.js';
import { TEAMS_KEY, USERS_KEY, useTeams, useUsers, type Team, type User } from './people.js';
import type { SectionProps } from './settings-page.js';

/** Teams and their members: a member is added or removed by changing that user's teams. */
export function TeamsSection({ can }: SectionProps) {
  const client = useQueryClient();
  const teams = useTeams();
  const users = useUsers();
  const manages = can('users.manage');
  const refresh = () => Promise.all([client.invalidateQueries({ queryKey: USERS_KEY }), client.invalidateQueries({ queryKey: TEAMS_KEY })]);
  const setTeams = useMutation({
    mutationFn: ({ user, teams: list }: { user: User; teams: string[] }) => api<User>(`/v1/users/${encodeURIComponent(user.id)}`, { method: 'PATCH', body: { teams: list } }),
    onSettled: refresh,
  });
  const remove = useMutation({ mutationFn: (id: string) => api<void>(`/v1/teams/${encodeURIComponent(id)}`, { method: 'DELETE' }), onSettled: refresh });

  return (
    <section aria-labelledby="teams-heading">
      <h2 id="teams-heading">Teams</h2>
      <p className="muted">Conversations are routed to teams; an agent sees the conversations of their teams.</p>
      {manages ? <CreateTeam /> : null}
      {teams.isPending ? <p role="status">Loading teams…</p> : null}
      {teams.error ? <ErrorNotice error={teams.error} /> : null}
      {users.error ? <ErrorNotice error={users.error} /> : null}
      {setTeams.error ? <ErrorNotice error={setTeams.error} /> : null}
      {remove.error ? <ErrorNotice error={remove.error} /> : null}
      {teams.data?.length === 0 ? <p className="empty">No team yet.{manages ? ' Create one above, then add its members.' : ''}</p> : null}
      <ul className="cards" aria-label="Teams">
        {teams.data?.map((team) => (
          <TeamCard key={team.id} team={team} users={users.data ?? []} manages={manages} busy={setTeams.isPending || remove.isPending}
            onMembers={(user, list) => setTeams.mutate({ user, teams: list })} onDelete={() => remove.mutate(team.id)} />
        ))}
      </ul>
    </section>
  );
}

function TeamCard({ team, users, manages, busy, onMembers, onDelete }: { team: Team; users: User[]; manages: boolean; busy: boolean; onMembers: (user: User, teams: string[]) => void; onDelete: () => void }) {
  const [adding, setAdding] = useState('');
  const members = users.filter((u) => team.members.includes(u.id));
  const others = users.filter((u) => !team.members.includes(u.id));
  const headingId = `team-${team.id}`;
  const add = (event: FormEvent) => {
    event.preventDefault();
    const user = others.find((u) => u.id === adding);
    if (!user) return;
    onMembers(user, [...user.teams, team.id]);
    setAdding('');
  };
  return (
    <li className="card">
      <div className="card-head">
        <h3 id={headingId}>{team.name}</h3>
        {manages ? <ConfirmButton label="Delete team" question={`Delete ${team.name}? Its members stay, without it.`} confirmLabel={`Delete ${team.name}`} disabled={busy} onConfirm={onDelete} /> : null}
      </div>
      {members.length === 0 ? <p className="empty">No members yet.</p> : (
        <ul className="members" aria-label={`Members of ${team.name}`}>
          {members.map((u) => (
            <li key={u.id}>
              <span>{u.name} <span className="muted">({u.role})</span></span>
              {manages ? <ConfirmButton label="Remove" question={`Take ${u.name} out of ${team.name}?`} confirmLabel={`Remove ${u.name}`} disabled={busy} onConfirm={() => onMembers(u, u.teams.filter((t) => t !== team.id))} /> : null}
            </li>
          ))}
        </ul>
      )}
      {manages && others.length ? (
        <form className="inline" onSubmit={add}>
          <label htmlFor={`add-${team.id}`}>Add a member</label>
          <select id={`add-${team.id}`} required value={adding} onChange={(e) => setAdding(e.target.value)}>
            <option value="">Choose a user…</option>
            {others.map((u) => <option key={u.id} value={u.id}>{u.name} ({u.email})</option>)}
          </select>
          <button type="submit" disabled={busy}>Add</button>
        </form>
      ) : null}
    </li>
  );
}

function CreateTeam() {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: (body: { name: string }) => api<Team>('/v1/teams', { method: 'POST', body }),
    onSuccess: () => {
      setName('');
      void client.invalidateQueries({ queryKey: TEAMS_KEY });
    },
  });
  return (
    <form className="panel inline" onSubmit={(e) => { e.preventDefault(); create.mutate({ name: name.trim() }); }} aria-label="Create a team">
      <label htmlFor="team-name">New team name</label>
      <input id="team-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
      <button type="submit" disabled={create.isPending}>{create.isPending ? 'Creating…' : 'Create team'}</button>
      {create.error ? <ErrorNotice error={create.error} /> : null}
    </form>
  );
}
