import { ParleyError } from '../errors/parley-error.js';
import { MEDIA_TYPES, MESSAGE_TYPES, type MessageType, type SendMessageBody } from './content-schema.js';

/**
 * Meta's content rules that a JSON schema cannot say: exactly one payload object, one of `mediaId`/`id`/`link`,
 * button and list counts and lengths, unique ids and titles. Pure; returns the first violation.
 */
type Payload = Record<string, any>;

const invalid = (field: string, message: string) => new ParleyError('CONTENT_INVALID', { field, message });

function checkMedia(type: string, media: Payload): ParleyError | undefined {
  if ((media.id ? 1 : 0) + (media.link ? 1 : 0) + (media.mediaId ? 1 : 0) !== 1) return invalid(`/${type}`, `A ${type} needs exactly one of \`mediaId\` (a file uploaded to Parley), \`id\` (a media id uploaded to Meta) or \`link\` (a public URL).`);
  if ((type === 'audio' || type === 'sticker') && media.caption !== undefined) return invalid(`/${type}/caption`, `A ${type} cannot have a caption.`);
  if (type !== 'document' && media.filename !== undefined) return invalid(`/${type}/filename`, 'Only documents take a filename.');
  return undefined;
}

function checkButtons(action: Payload): ParleyError | undefined {
  const buttons = action.buttons;
  if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) return invalid('/interactive/action/buttons', 'Reply buttons: 1 to 3 buttons.');
  const ids = new Set<string>();
  const titles = new Set<string>();
  for (const [i, button] of buttons.entries()) {
    const id = button?.reply?.id;
    const title = button?.reply?.title;
    if (button?.type !== 'reply' || typeof id !== 'string' || typeof title !== 'string') return invalid(`/interactive/action/buttons/${i}`, 'Each button is { "type": "reply", "reply": { "id", "title" } }.');
    if (id.length === 0 || id.length > 256 || id.trim() !== id) return invalid(`/interactive/action/buttons/${i}/reply/id`, 'A button id has 1 to 256 characters and no leading or trailing spaces.');
    if (title.length === 0 || title.length > 20) return invalid(`/interactive/action/buttons/${i}/reply/title`, 'A button title has 1 to 20 characters.');
    if (ids.has(id)) return invalid(`/interactive/action/buttons/${i}/reply/id`, 'Button ids must be unique.');
    if (titles.has(title)) return invalid(`/interactive/action/buttons/${i}/reply/title`, 'Button titles must be unique.');
    ids.add(id);
    titles.add(title);
  }
  return undefined;
}

function checkList(action: Payload): ParleyError | undefined {
  if (typeof action.button !== 'string' || action.button.length === 0 || action.button.length > 20) return invalid('/interactive/action/button', 'A list needs `action.button`, 1 to 20 characters.');
  const sections = action.sections;
  if (!Array.isArray(sections) || sections.length < 1 || sections.length > 10) return invalid('/interactive/action/sections', 'A list has 1 to 10 sections.');
  let rows = 0;
  const ids = new Set<string>();
  for (const [s, section] of sections.entries()) {
    if (sections.length > 1 && (typeof section?.title !== 'string' || section.title.length === 0 || section.title.length > 24)) return invalid(`/interactive/action/sections/${s}/title`, 'With several sections each needs a title of 1 to 24 characters.');
    if (!Array.isArray(section?.rows) || section.rows.length === 0) return invalid(`/interactive/action/sections/${s}/rows`, 'Each section needs at least one row.');
    for (const [r, row] of section.rows.entries()) {
      rows++;
      const path = `/interactive/action/sections/${s}/rows/${r}`;
      if (typeof row?.id !== 'string' || row.id.length === 0 || row.id.length > 200) return invalid(`${path}/id`, 'A row id has 1 to 200 characters.');
      if (ids.has(row.id)) return invalid(`${path}/id`, 'Row ids must be unique across the list.');
      ids.add(row.id);
      if (typeof row.title !== 'string' || row.title.length === 0 || row.title.length > 24) return invalid(`${path}/title`, 'A row title has 1 to 24 characters.');
      if (row.description !== undefined && (typeof row.description !== 'string' || row.description.length > 72)) return invalid(`${path}/description`, 'A row description has at most 72 characters.');
    }
  }
  if (rows > 10) return invalid('/interactive/action/sections', `A list has at most 10 rows in total (this one has ${rows}).`);
  return undefined;
}

function checkInteractive(interactive: Payload): ParleyError | undefined {
  const bodyLimit = interactive.type === 'list' ? 4096 : 1024;
  if (interactive.type !== 'location_request_message' || interactive.body !== undefined) {
    if (typeof interactive.body?.text !== 'string') return invalid('/interactive/body', 'An interactive message needs `body.text`.');
    if (interactive.body.text.length > bodyLimit) return invalid('/interactive/body/text', `The body has at most ${bodyLimit} characters.`);
  }
  if (interactive.header?.type === 'text' && (typeof interactive.header.text !== 'string' || interactive.header.text.length > 60)) return invalid('/interactive/header/text', 'A text header has 1 to 60 characters.');
  if (interactive.type === 'list' && interactive.header && interactive.header.type !== 'text') return invalid('/interactive/header/type', 'A list header can only be text.');
  if (interactive.type === 'button') return checkButtons(interactive.action);
  if (interactive.type === 'list') return checkList(interactive.action);
  if (interactive.type === 'cta_url') {
    const p = interactive.action?.parameters;
    if (interactive.action?.name !== 'cta_url' || typeof p?.display_text !== 'string' || typeof p?.url !== 'string') return invalid('/interactive/action', 'A cta_url needs { "name": "cta_url", "parameters": { "display_text", "url" } }.');
    if (p.display_text.length > 20) return invalid('/interactive/action/parameters/display_text', 'The button text has at most 20 characters.');
  }
  return undefined;
}

/** Throws CONTENT_INVALID for the first rule the message breaks; returns its payload otherwise. */
export function validateContent(body: SendMessageBody): Payload {
  if (body.type === undefined) throw invalid('/type', 'Give the message `type` and its payload object, or an `intent`.');
  const type: MessageType = body.type;
  const b = body as Record<string, unknown>;
  const payload = b[type] as Payload | undefined;
  if (payload === undefined) throw invalid(`/${type}`, `A message of type "${type}" needs a \`${type}\` object.`);
  for (const other of MESSAGE_TYPES) {
    if (other !== type && b[other] !== undefined) throw invalid(`/${other}`, `A message of type "${type}" cannot also carry \`${other}\`.`);
  }
  let error: ParleyError | undefined;
  if ((MEDIA_TYPES as readonly string[]).includes(type)) error = checkMedia(type, payload);
  else if (type === 'interactive') error = checkInteractive(payload);
  if (error) throw error;
  return payload;
}
