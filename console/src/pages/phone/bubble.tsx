import type { ReactNode } from 'react';
import type { ChatEntry, CustomerMessage } from './phone-api.js';
import { fillParameters, formatWhatsApp } from './whatsapp-text.js';

const MEDIA_LABEL: Record<string, string> = { image: 'Photo', video: 'Video', audio: 'Audio', document: 'Document', sticker: 'Sticker' };

/** What a tap on the message sends back (a reply button, a list row, a template's quick reply). */
export type Answer = (message: CustomerMessage) => void;

const Text = ({ children }: { children: string }) => <p className="wa-text">{formatWhatsApp(children)}</p>;

function Media({ type, content }: { type: string; content: Record<string, any> }) {
  const where = typeof content.link === 'string' ? content.link : content.id ? `media ${String(content.id)}` : null;
  return (
    <div className="wa-media">
      <span className="wa-media-kind" aria-hidden="true">{type === 'image' || type === 'sticker' ? '🖼' : type === 'video' ? '🎬' : type === 'audio' ? '🎵' : '📄'}</span>
      <span>
        {MEDIA_LABEL[type] ?? type}
        {content.filename ? `: ${String(content.filename)}` : ''}
        {where ? <span className="wa-small"> ({where})</span> : null}
      </span>
    </div>
  );
}

function Location({ content }: { content: Record<string, any> }) {
  return (
    <div className="wa-location">
      <span aria-hidden="true">📍 </span>
      <strong>{content.name ?? 'Location'}</strong>
      {content.address ? <span>, {String(content.address)}</span> : null}
      <span className="wa-small"> ({Number(content.latitude).toFixed(5)}, {Number(content.longitude).toFixed(5)})</span>
    </div>
  );
}

function Template({ entry, answer }: { entry: ChatEntry; answer: Answer }) {
  const given: Array<Record<string, any>> = entry.content.components ?? [];
  const params = (type: string, index?: number) =>
    given.find((c) => c.type === type && (index === undefined || Number(c.index) === index))?.parameters ?? [];
  const components = entry.template?.components ?? [];
  if (!components.length) return <p className="wa-text">Template {String(entry.content.name)} ({String(entry.content.language?.code ?? '')})</p>;
  const parts: ReactNode[] = [];
  for (const [i, c] of components.entries()) {
    const type = String(c.type).toUpperCase();
    if (type === 'HEADER') {
      const format = String(c.format ?? 'TEXT').toUpperCase();
      if (format === 'TEXT') parts.push(<p key={i} className="wa-header">{fillParameters(String(c.text ?? ''), params('header'))}</p>);
      else if (format === 'LOCATION') parts.push(<Location key={i} content={params('header')[0]?.location ?? {}} />);
      else parts.push(<Media key={i} type={format.toLowerCase()} content={params('header')[0]?.[format.toLowerCase()] ?? {}} />);
    } else if (type === 'BODY') parts.push(<Text key={i}>{fillParameters(String(c.text ?? ''), params('body'))}</Text>);
    else if (type === 'FOOTER') parts.push(<p key={i} className="wa-footer">{String(c.text ?? '')}</p>);
    else if (type === 'BUTTONS') {
      const buttons: Array<Record<string, any>> = c.buttons ?? [];
      parts.push(
        <ul key={i} className="wa-buttons" aria-label="Buttons">
          {buttons.map((b, index) => {
            const kind = String(b.type).toUpperCase();
            const text = String(b.text ?? '');
            if (kind === 'QUICK_REPLY') {
              const payload = params('button', index)[0]?.payload ?? text;
              return <li key={index}><button type="button" onClick={() => answer({ type: 'button', button: { text, payload: String(payload) }, contextId: entry.id })}>{text}</button></li>;
            }
            // URL, phone and copy-code buttons open something outside the chat: shown, not followed.
            return <li key={index}><span className="wa-link-button">{kind === 'URL' ? '↗ ' : kind === 'PHONE_NUMBER' ? '📞 ' : ''}{text || kind.toLowerCase()}</span></li>;
          })}
        </ul>,
      );
    }
  }
  return <>{parts}</>;
}

function Interactive({ entry, answer }: { entry: ChatEntry; answer: Answer }) {
  const i = entry.content;
  const header = i.header?.type === 'text' ? <p className="wa-header">{String(i.header.text)}</p> : i.header?.type ? <Media type={String(i.header.type)} content={i.header[i.header.type] ?? {}} /> : null;
  const body = i.body?.text ? <Text>{String(i.body.text)}</Text> : null;
  const footer = i.footer?.text ? <p className="wa-footer">{String(i.footer.text)}</p> : null;
  let action: ReactNode = null;
  if (i.type === 'button') {
    const buttons: Array<{ reply: { id: string; title: string } }> = i.action?.buttons ?? [];
    action = (
      <ul className="wa-buttons" aria-label="Buttons">
        {buttons.map((b) => (
          <li key={b.reply.id}>
            <button type="button" onClick={() => answer({ type: 'interactive', interactive: { type: 'button_reply', reply: { id: b.reply.id, title: b.reply.title } }, contextId: entry.id })}>{b.reply.title}</button>
          </li>
        ))}
      </ul>
    );
  } else if (i.type === 'list') {
    const sections: Array<{ title?: string; rows: Array<{ id: string; title: string; description?: string }> }> = i.action?.sections ?? [];
    action = (
      <details className="wa-list">
        <summary>{String(i.action?.button ?? 'Choose')}</summary>
        {sections.map((s, n) => (
          <div key={n} role="group" aria-label={s.title ?? `Section ${n + 1}`}>
            {s.title ? <p className="wa-section">{s.title}</p> : null}
            <ul className="wa-rows">
              {s.rows.map((r) => (
                <li key={r.id}>
                  <button type="button" onClick={() => answer({ type: 'interactive', interactive: { type: 'list_reply', reply: { id: r.id, title: r.title, ...(r.description ? { description: r.description } : {}) } }, contextId: entry.id })}>
                    {r.title}
                    {r.description ? <span className="wa-small"> {r.description}</span> : null}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </details>
    );
  } else if (i.type === 'cta_url') {
    action = <p className="wa-link-button">↗ {String(i.action?.parameters?.display_text ?? 'Open')}</p>;
  } else if (i.type) {
    action = <p className="wa-small">({String(i.type)} message)</p>;
  }
  return <>{header}{body}{footer}{action}</>;
}

/**
 * One message as WhatsApp shows it on the customer's phone. UltraMsg's messages come with UltraMsg's
 * types (`chat`, `ptt`, `vcard`...) and `body` (the text, a caption, a location's address) beside the
 * media's link.
 */
export function Bubble({ entry, answer }: { entry: ChatEntry; answer: Answer }) {
  const c = entry.content;
  switch (entry.type) {
    case 'text':
    case 'chat':
      return <Text>{String(c.body ?? '')}</Text>;
    case 'vcard':
      return <p className="wa-text">👤 {String(c.body ?? '').match(/^FN:(.*)$/m)?.[1] ?? 'Contact card'}</p>;
    case 'ptt':
      return <Media type="audio" content={c} />;
    case 'template':
      return <Template entry={entry} answer={answer} />;
    case 'interactive':
      if (entry.from === 'customer') return <p className="wa-text">{String(c[c.type]?.title ?? '')}</p>;
      return <Interactive entry={entry} answer={answer} />;
    case 'button':
      return <p className="wa-text">{String(c.text ?? '')}</p>;
    case 'location':
      // UltraMsg carries a location's address alone.
      return c.latitude === undefined && typeof c.body === 'string' ? <div className="wa-location"><span aria-hidden="true">📍 </span><strong>{c.body || 'Location'}</strong></div> : <Location content={c} />;
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      return (
        <>
          <Media type={entry.type} content={c} />
          {c.caption || c.body ? <Text>{String(c.caption || c.body)}</Text> : null}
        </>
      );
    case 'contacts':
      return <p className="wa-text">👤 {((c.items ?? c.contacts ?? []) as Array<any>).map((x) => x?.name?.formatted_name).filter(Boolean).join(', ') || 'Contact card'}</p>;
    default:
      return <p className="wa-small">({entry.type} message)</p>;
  }
}
