// The template pages (/templates, /templates/new, /templates/:id), loaded on first visit: the editor
// and its preview are not part of the console's first load.
import type { SessionView } from '../../api.js';
import { TemplateListPage } from './list.js';
import { NewTemplatePage } from './new-template.js';
import { TemplatePage } from './template-page.js';
import './templates.css';

export default function TemplatesArea({ session, path, search }: { session: SessionView; path: string; search: URLSearchParams }) {
  const canWrite = session.permissions.includes('templates.write');
  const m = /^\/templates(?:\/([^/]+))?$/.exec(path);
  const sub = m?.[1] ? decodeURIComponent(m[1]) : null;
  if (!sub) return <TemplateListPage canWrite={canWrite} />;
  if (sub === 'new') {
    return canWrite
      ? <NewTemplatePage session={session} from={search.get('from')} language={search.get('language')} />
      : <p className="empty">Your role reads templates but does not write them. Ask a developer or an admin.</p>;
  }
  return <TemplatePage key={sub} id={sub} session={session} />;
}
