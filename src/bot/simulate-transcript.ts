import type { BotEffect } from './engine.js';
import type { OutgoingMessage } from './render.js';

/**
 * How a simulated conversation reads, pure: the bot's messages as the customer would see them (a menu
 * as its text and then its options with the ids a script taps), and the effects the runtime would
 * carry out as bracketed lines. A message of several lines continues indented under `bot: `.
 */
const INDENT = '     ';

type Row = { id: string; title: string; description?: string };

/** A bot message as the lines of the transcript; `bot: ` starts the first. */
export function messageLines(message: OutgoingMessage): string[] {
  const lines: string[] = [];
  const m = message as Record<string, any>;
  switch (message.type) {
    case 'text':
      lines.push(...String(m.text?.body ?? '').split('\n'));
      break;
    case 'image':
      lines.push(`[image ${m.image.link}]${m.image.caption ? ` ${m.image.caption}` : ''}`);
      break;
    case 'document':
      lines.push(`[document ${m.document.filename ?? m.document.link}]${m.document.caption ? ` ${m.document.caption}` : ''}`);
      break;
    case 'interactive': {
      const i = m.interactive;
      lines.push(...String(i.body?.text ?? '').split('\n'));
      if (i.type === 'button') {
        lines.push(i.action.buttons.map((b: { reply: { id: string; title: string } }) => `[${b.reply.title}] (${b.reply.id})`).join('  '));
      } else {
        lines.push(`≡ ${i.action.button}`);
        for (const row of i.action.sections.flatMap((s: { rows: Row[] }) => s.rows) as Row[]) lines.push(`• ${row.title} (${row.id})${row.description ? ` – ${row.description}` : ''}`);
      }
      break;
    }
    default:
      lines.push(`[${message.type}]`);
  }
  return lines.map((line, i) => (i === 0 ? `bot: ${line}` : `${INDENT}${line}`));
}

/** What a bot message says, for `bot:` expectations: its lines without the speaker. */
export function messageText(lines: readonly string[]): string {
  return lines.map((l, i) => (i === 0 ? l.slice('bot: '.length) : l.trim())).join('\n');
}

/** An effect other than a message, as one bracketed line. */
export function effectLine(effect: Exclude<BotEffect, { type: 'send' }>): string {
  switch (effect.type) {
    case 'webhook':
      return `[webhook ${effect.node} → POST ${effect.url} ${JSON.stringify(effect.body)}]`;
    case 'set_contact': {
      const changes = [
        ...effect.addTags.map((t) => `tag +${t}`),
        ...effect.removeTags.map((t) => `tag -${t}`),
        ...Object.entries(effect.attributes).map(([k, v]) => `${k} = ${JSON.stringify(v)}`),
      ];
      return `[contact: ${changes.join(', ') || 'no change'}]`;
    }
    case 'handoff':
      return `[hand-off: ${effect.reason} – ${effect.detail}${effect.teamId ? ` → team ${effect.teamId}` : ''}]`;
    case 'resolve':
      return '[resolved]';
  }
}
