import { isRecord } from '../../template-text/template-shape.js';
import { diffLines, type DiffLine } from './line-diff.js';

/** The part of a version a diff compares: everything Meta reviews. */
export interface DiffableVersion {
  category: string;
  parameter_format: string;
  allow_category_change: boolean;
  message_send_ttl_seconds: number | null;
  components: unknown[];
}

export interface FieldChange {
  /** A readable field path: `BODY.text`, `BUTTONS.buttons[1].url`, `category`. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
  /** For changed text: the line diff. */
  lines?: DiffLine[];
}

export interface TemplateDiff {
  changes: FieldChange[];
  /** The changes as text, one field per block, for people (console, CLI, review). */
  text: string;
}

type Scalar = string | number | boolean | null;

/** Flattens to field paths; components are keyed by their type (one of each), buttons by position. */
function flatten(value: unknown, path: string, out: Map<string, Scalar>): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(path, '[]' as Scalar);
    value.forEach((item, i) => flatten(item, `${path}[${i}]`, out));
  } else if (isRecord(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, path ? `${path}.${key}` : key, out);
  } else if (value !== undefined) {
    out.set(path, value as Scalar);
  }
}

function fields(version: DiffableVersion): Map<string, Scalar> {
  const out = new Map<string, Scalar>();
  out.set('category', version.category);
  out.set('parameter_format', version.parameter_format);
  out.set('allow_category_change', version.allow_category_change);
  if (version.message_send_ttl_seconds !== null) out.set('message_send_ttl_seconds', version.message_send_ttl_seconds);
  for (const component of version.components) {
    if (!isRecord(component)) continue;
    const { type, ...rest } = component;
    flatten(rest, String(type), out);
  }
  return out;
}

const show = (v: unknown) => JSON.stringify(v);

/** Field-level diff of two versions, with line diffs for changed text. `before` null: everything is added. */
export function diffVersions(before: DiffableVersion | null, after: DiffableVersion): TemplateDiff {
  const a = before ? fields(before) : new Map<string, Scalar>();
  const b = fields(after);
  const changes: FieldChange[] = [];
  for (const [path, value] of b) {
    if (!a.has(path)) changes.push({ path, kind: 'added', after: value });
    else if (a.get(path) !== value) {
      const old = a.get(path);
      const change: FieldChange = { path, kind: 'changed', before: old, after: value };
      // Text people wrote reads best as a line diff; codes and names read best as `before → after`.
      const prose = path.endsWith('.text') || `${old}${value}`.includes('\n');
      if (typeof old === 'string' && typeof value === 'string' && prose) change.lines = diffLines(old, value);
      changes.push(change);
    }
  }
  for (const [path, value] of a) if (!b.has(path)) changes.push({ path, kind: 'removed', before: value });
  return { changes, text: renderDiff(changes) };
}

export function renderDiff(changes: readonly FieldChange[]): string {
  if (changes.length === 0) return '(no changes)';
  return changes
    .map((c) => {
      if (c.kind === 'added') return `+ ${c.path}: ${show(c.after)}`;
      if (c.kind === 'removed') return `- ${c.path}: ${show(c.before)}`;
      if (c.lines) return [`~ ${c.path}`, ...c.lines.map((l) => `  ${l.op} ${l.line}`)].join('\n');
      return `~ ${c.path}: ${show(c.before)} → ${show(c.after)}`;
    })
    .join('\n');
}
