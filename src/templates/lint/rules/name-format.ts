import { finding, type LintRule } from '../types.js';

const NAME = /^[a-z][a-z0-9_]*$/;
export const MAX_NAME_LENGTH = 512;

/** `nice Name-1!` → `nice_name_1`: the name Meta would accept closest to what was written. */
export function suggestName(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^[^a-z]+/, '').replace(/_+$/, '');
  return (slug || 'template_name').slice(0, MAX_NAME_LENGTH);
}

// Meta: names are lowercase letters, digits and underscores, up to 512 characters, and cannot be
// edited later, so a bad one is caught before it becomes permanent.
export const rule: LintRule = {
  id: 'name-format',
  description: 'The name is lowercase letters, digits and underscores, starts with a letter, and is at most 512 characters.',
  check(template) {
    const name: unknown = template?.name;
    if (typeof name !== 'string' || name.length === 0) {
      return [finding(this.id, 'error', '/name', 'The template has no name.', 'Add a "name" such as "order_update".')];
    }
    if (name.length > MAX_NAME_LENGTH) {
      return [finding(this.id, 'error', '/name', `The name is ${name.length} characters long; Meta allows ${MAX_NAME_LENGTH}.`, `Shorten the name to at most ${MAX_NAME_LENGTH} characters.`)];
    }
    if (!NAME.test(name)) {
      return [finding(this.id, 'error', '/name', `The name "${name}" may only hold lowercase letters, digits and underscores, starting with a letter.`, `Rename it, e.g. "${suggestName(name)}".`)];
    }
    return [];
  },
};
