import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TemplateBody } from '../../template-text/template-shape.js';
import { isRecord } from '../../template-text/template-shape.js';
import { lintTemplate } from './run-lint.js';
import { finding, type Finding, type LintOptions } from './types.js';

/**
 * Template files for teams that keep templates in git: one JSON file per template (or a JSON array of
 * templates), each in Meta's create-body shape — exactly what `POST /{waba_id}/message_templates` takes:
 *
 *   { "name": "order_update", "language": "en_US", "category": "UTILITY",
 *     "components": [ { "type": "BODY", "text": "Hi {{1}}, ...", "example": { "body_text": [["Asha"]] } } ] }
 *
 * Files ending in `.json` are read from the folder and its subfolders (hidden folders and node_modules
 * skipped), in name order.
 */
export interface FileResult {
  file: string;
  /** Position in the file when it holds an array of templates. */
  index?: number;
  name?: string;
  findings: Finding[];
}

export function templateFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.json')) out.push(full);
    }
  };
  if (statSync(dir).isFile()) return [dir];
  walk(dir);
  return out;
}

export function lintFile(file: string, options?: Partial<LintOptions>): FileResult[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return [{ file, findings: [finding('file-format', 'error', '/', `The file is not valid JSON: ${(error as Error).message}`, 'Fix the JSON syntax; each file holds one template object (or an array of them) in Meta’s create-body shape.')] }];
  }
  const templates = Array.isArray(parsed) ? parsed : [parsed];
  return templates.map((template, index) => {
    const at = Array.isArray(parsed) ? { index } : {};
    if (!isRecord(template)) {
      return { file, ...at, findings: [finding('file-format', 'error', '/', 'The file does not hold a template object.', 'Write the template as a JSON object with name, language, category and components.')] };
    }
    return { file, ...at, name: typeof template.name === 'string' ? template.name : undefined, findings: lintTemplate(template as unknown as TemplateBody, options) };
  });
}

export function lintFolder(dir: string, options?: Partial<LintOptions>): FileResult[] {
  return templateFiles(dir).flatMap((file) => lintFile(file, options));
}
