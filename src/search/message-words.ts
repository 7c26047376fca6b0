type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * The words a person reads in a message's stored content, as the two directions store it:
 * - inbound (`channels/*‌/webhook/normalize*.ts`): `text` (a string), a media `caption`, the title and
 *   description of a tapped button or list row (`reply`), a flow's reply `body`, a quick-reply
 *   `button.text`, UltraMsg's unknown types' `raw.body`;
 * - outbound (`outbound/accept.ts`, `{ type, payload, to }`): the text's `payload.body`, a media
 *   `payload.caption`, an interactive message's body, header and footer text and its buttons' and
 *   rows' titles.
 * Nothing else (ids, links, the recipient's number, template parameters) is a word a person searches
 * for. Empty when the content has none (erased, purged, a sticker).
 */
export function messageWords(content: Obj | null): string {
  if (!content) return '';
  const parts: string[] = [];
  const push = (value: unknown) => {
    if (typeof value === 'string' && value.length) parts.push(value);
  };
  // Inbound.
  push(content.text);
  push(content.caption);
  push(obj(content.reply).title);
  push(obj(content.reply).description);
  push(obj(content.flowReply).body);
  push(obj(content.button).text);
  push(obj(content.raw).body);
  // Outbound.
  if ('payload' in content && 'to' in content) {
    const payload = obj(content.payload);
    push(payload.body);
    push(payload.caption);
    push(obj(payload.body).text);
    push(obj(payload.header).text);
    push(obj(payload.footer).text);
    const action = obj(payload.action);
    for (const button of list(action.buttons)) push(obj(obj(button).reply).title);
    for (const section of list(action.sections)) {
      push(obj(section).title);
      for (const row of list(obj(section).rows)) push(obj(row).title);
    }
  }
  return parts.join('\n');
}
