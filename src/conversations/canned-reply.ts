/**
 * Canned replies: a saved text with variables in double braces (`Hello {{contact.name}}, I am
 * {{agent.name}}.`), sent by its shortcut. Pure: the caller gathers the values.
 *
 * Variables Parley fills: `contact.name`, `agent.name` (the replying person), `conversation.id`. Any
 * other name (`order.id`) is the caller's, given with the send (`variables`).
 */
export const VARIABLE_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The variables a text names, in order of first appearance. */
export function cannedVariables(text: string): string[] {
  return [...new Set([...text.matchAll(VARIABLE)].map((m) => m[1]!))];
}

/** Variables that are not well-formed names (`{{ Contact Name }}`): a canned reply with one is refused when saved. */
export function malformedVariables(text: string): string[] {
  return cannedVariables(text).filter((name) => !VARIABLE_NAME.test(name));
}

export type CannedRender = { ok: true; text: string } | { ok: false; missing: string[] };

/**
 * Fills every variable of `text` from `values`. A variable without a value (unknown, or known but
 * empty: a contact without a name) refuses the whole render, naming every such variable: a reply
 * never goes out with a hole or a raw `{{…}}` in it.
 */
export function renderCanned(text: string, values: Readonly<Record<string, string | null | undefined>>): CannedRender {
  const missing = cannedVariables(text).filter((name) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    return value === undefined || value === null || value === '';
  });
  if (missing.length) return { ok: false, missing };
  return { ok: true, text: text.replace(VARIABLE, (_, name: string) => values[name]!) };
}
