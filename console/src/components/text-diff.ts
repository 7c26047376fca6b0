// A small diff for what the console compares (template versions, a few dozen lines): the longest common
// subsequence of lines, and of words inside a changed line. Quadratic, which is fine at this size.

export type DiffOp = 'same' | 'added' | 'removed';
export interface DiffPart { op: DiffOp; text: string }

function lcsDiff(a: readonly string[], b: readonly string[]): DiffPart[] {
  const n = a.length;
  const m = b.length;
  // lengths[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lengths = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
  }
  const out: DiffPart[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) { out.push({ op: 'same', text: a[i]! }); i++; j++; }
    else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) out.push({ op: 'removed', text: a[i++]! });
    else out.push({ op: 'added', text: b[j++]! });
  }
  while (i < n) out.push({ op: 'removed', text: a[i++]! });
  while (j < m) out.push({ op: 'added', text: b[j++]! });
  return out;
}

/** Line by line: each line of `before` and `after` kept, removed or added. */
export const diffLines = (before: readonly string[], after: readonly string[]): DiffPart[] => lcsDiff(before, after);

/** Word by word (spaces and punctuation kept as their own parts), for showing what changed inside a line. */
export function diffWords(before: string, after: string): DiffPart[] {
  const words = (s: string) => s.split(/(\s+|[^\p{L}\p{N}\s])/u).filter(Boolean);
  // Neighbouring parts of one kind read better as one.
  return lcsDiff(words(before), words(after)).reduce<DiffPart[]>((acc, part) => {
    const last = acc.at(-1);
    if (last && last.op === part.op) last.text += part.text;
    else acc.push({ ...part });
    return acc;
  }, []);
}

/**
 * A line diff in which a run of removed lines followed by as many added ones is paired up, each pair
 * with its word diff: `{ op: 'changed', words }`.
 */
export type DiffRow = { op: 'same' | 'added' | 'removed'; text: string } | { op: 'changed'; before: string; after: string; words: DiffPart[] };

export function diffRows(before: readonly string[], after: readonly string[]): DiffRow[] {
  const parts = diffLines(before, after);
  const rows: DiffRow[] = [];
  for (let k = 0; k < parts.length;) {
    if (parts[k]!.op !== 'removed') { rows.push(parts[k]!); k++; continue; }
    let r = k;
    while (r < parts.length && parts[r]!.op === 'removed') r++;
    let a = r;
    while (a < parts.length && parts[a]!.op === 'added') a++;
    const removed = parts.slice(k, r);
    const added = parts.slice(r, a);
    const paired = Math.min(removed.length, added.length);
    for (let p = 0; p < paired; p++) rows.push({ op: 'changed', before: removed[p]!.text, after: added[p]!.text, words: diffWords(removed[p]!.text, added[p]!.text) });
    for (const part of removed.slice(paired)) rows.push(part);
    for (const part of added.slice(paired)) rows.push(part);
    k = a;
  }
  return rows;
}
