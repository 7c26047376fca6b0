import { MetaError } from '../errors.js';

/**
 * Building blocks of request validation, with the codes the emulator answers (Meta's mix, made consistent):
 * a missing required field is 131008; a field of the wrong JSON type, an unsupported field, or a length or
 * count over Meta's limit is 100 (Graph's "Param x must be at most N characters long"); a value that has the
 * right type but cannot be used (unknown media id, duplicate button ids, both `id` and `link`) is 131009.
 * Paths are written the way Graph writes them: `interactive['action']['buttons'][0]`.
 */
export type Json = Record<string, any>;

export const at = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}['${key}']`);

export const missing = (path: string) => new MetaError(131008, `The parameter ${path} is required.`);
export const invalidValue = (path: string, why: string) => new MetaError(131009, `Parameter ${path} is not valid: ${why}`);
export const badParam = (details: string) => new MetaError(100, details);

export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The object at `parent[key]`, required. */
export function requireObject(parent: Json, key: string, path: string): Json {
  const value = parent[key];
  if (value === undefined || value === null) throw missing(at(path, key));
  if (!isObject(value)) throw badParam(`Param ${at(path, key)} must be a JSON object.`);
  return value;
}

export function optionalObject(parent: Json, key: string, path: string): Json | undefined {
  return parent[key] === undefined ? undefined : requireObject(parent, key, path);
}

/** A string field with Meta's maximum length; `required` turns absence into 131008. */
export function stringField(parent: Json, key: string, path: string, opts: { required?: boolean; max?: number; allowEmpty?: boolean } = {}): string | undefined {
  const value = parent[key];
  const where = at(path, key);
  if (value === undefined || value === null) {
    if (opts.required) throw missing(where);
    return undefined;
  }
  if (typeof value !== 'string') throw badParam(`Param ${where} must be a string.`);
  if (opts.required && !opts.allowEmpty && value.trim() === '') throw missing(where);
  if (opts.max !== undefined && [...value].length > opts.max) throw badParam(`Param ${where} must be at most ${opts.max} characters long.`);
  return value;
}

export function arrayField(parent: Json, key: string, path: string, opts: { required?: boolean; min?: number; max?: number } = {}): unknown[] | undefined {
  const value = parent[key];
  const where = at(path, key);
  if (value === undefined || value === null) {
    if (opts.required) throw missing(where);
    return undefined;
  }
  if (!Array.isArray(value)) throw badParam(`Param ${where} must be an array.`);
  if (opts.min !== undefined && value.length < opts.min) throw badParam(`Param ${where} must contain at least ${opts.min} element${opts.min > 1 ? 's' : ''}.`);
  if (opts.max !== undefined && value.length > opts.max) throw badParam(`Param ${where} must contain at most ${opts.max} elements.`);
  return value;
}

export function oneOf(value: unknown, allowed: readonly string[], where: string): string {
  if (typeof value !== 'string' || !allowed.includes(value)) throw badParam(`Param ${where} must be one of {${allowed.join(', ')}}.`);
  return value;
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** A coordinate given as a number or a numeric string (Meta's examples send strings). */
export function coordinate(parent: Json, key: string, path: string, limit: number): number {
  const raw = parent[key];
  const where = at(path, key);
  if (raw === undefined || raw === null || raw === '') throw missing(where);
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
  if (!Number.isFinite(value) || Math.abs(value) > limit) throw invalidValue(where, `must be a number between -${limit} and ${limit}`);
  return value;
}
