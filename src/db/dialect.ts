/** The storage dialects Parley runs on. Dialect differences live in `db/` and nowhere else. */
export const DIALECTS = ['sqlite', 'postgres'] as const;
export type DialectName = (typeof DIALECTS)[number];

export function dialectOf(url: string): DialectName {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  throw new Error(`Unsupported database URL ${JSON.stringify(url)}: use sqlite:<file> or postgres://...`);
}

/** The file path of a `sqlite:` URL (`sqlite:./data/parley.db`, `sqlite:///abs/path.db`, `sqlite::memory:`). */
export function sqlitePath(url: string): string {
  const rest = url.slice('sqlite:'.length);
  return rest.startsWith('//') ? rest.slice(2) : rest;
}
