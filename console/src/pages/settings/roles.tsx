import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { ErrorNotice } from '../../error-notice.js';
import type { SectionProps } from './settings-page.js';

/** What each role may do: the roles are fixed, so this is a reading of GET /v1/roles. */
export function RolesSection({ session }: SectionProps) {
  const roles = useQuery({ queryKey: ['settings', 'roles'], queryFn: () => api<{ data: Array<{ role: string; permissions: string[] }> }>('/v1/roles').then((r) => r.data), staleTime: Infinity });
  const permissions = [...new Set(roles.data?.flatMap((r) => r.permissions) ?? [])];
  return (
    <section aria-labelledby="roles-heading">
      <h2 id="roles-heading">Roles</h2>
      <p className="muted">Every user holds one role; it decides what they may do in the console and the API. Roles are fixed; change a user&apos;s role on the Users page. Your role is {session.user.role}.</p>
      {roles.isPending ? <p role="status">Loading roles…</p> : null}
      {roles.error ? <ErrorNotice error={roles.error} /> : null}
      {roles.data ? (
        <div className="table-wrap">
          <table className="matrix">
            <caption className="visually-hidden">Permissions of each role</caption>
            <thead>
              <tr>
                <th scope="col">Permission</th>
                {roles.data.map((r) => <th scope="col" key={r.role}>{r.role}</th>)}
              </tr>
            </thead>
            <tbody>
              {permissions.map((p) => (
                <tr key={p}>
                  <th scope="row"><code>{p}</code></th>
                  {roles.data.map((r) => (
                    <td key={r.role}>{r.permissions.includes(p) ? <><span aria-hidden="true">✓</span><span className="visually-hidden">yes</span></> : <span className="visually-hidden">no</span>}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
