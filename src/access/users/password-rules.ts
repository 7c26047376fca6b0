import { randomBytes } from 'node:crypto';
import { ParleyError } from '../../errors/parley-error.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

/** The rules, in words a person reads (returned by `GET /v1/session/password-rules` and in the refusal's details). */
export const PASSWORD_RULES: readonly string[] = [
  `At least ${PASSWORD_MIN_LENGTH} characters (at most ${PASSWORD_MAX_LENGTH}); spaces are allowed, so a few words make a good password.`,
  'Not your email address, nor its part before the @.',
  'Not a commonly used password (such as "password1234" or "qwertyuiop12").',
];

// A few of the most used passwords of 12 characters or more; longer lists belong to a breach corpus check.
const COMMON = new Set([
  'password1234', 'password12345', 'password123456', 'passwordpassword', '123456789012', '1234567890123', '12345678901234',
  'qwertyuiop12', 'qwertyuiop123', 'qwerty123456', '123456qwerty', '1q2w3e4r5t6y', 'iloveyou1234', 'letmein12345',
  'welcome12345', 'administrator', 'admin1234567', 'changeme1234', 'aaaaaaaaaaaa', '111111111111', '000000000000',
  'abcdefghijkl', 'abc123456789', 'football1234', 'baseball1234', 'sunshine1234', 'princess1234', 'trustno12345',
  'parleyparley', 'parley123456',
]);

/** The broken rules, in words; empty when the password is acceptable. */
export function passwordProblems(password: string, email: string): string[] {
  const problems: string[] = [];
  const chars = [...password].length;
  if (chars < PASSWORD_MIN_LENGTH) problems.push(`It has ${chars} characters; it needs at least ${PASSWORD_MIN_LENGTH}.`);
  if (chars > PASSWORD_MAX_LENGTH) problems.push(`It has ${chars} characters; at most ${PASSWORD_MAX_LENGTH} are accepted.`);
  const lower = password.trim().toLowerCase();
  const address = email.trim().toLowerCase();
  if (lower === address || lower === address.split('@')[0]) problems.push('It is your email address.');
  if (COMMON.has(lower)) problems.push('It is a commonly used password.');
  return problems;
}

/** Refuses (422 PASSWORD_REJECTED, the broken rules and all the rules in details) unless the password is acceptable. */
export function checkPassword(password: string, email: string, field = '/password'): void {
  const problems = passwordProblems(password, email);
  if (problems.length) throw new ParleyError('PASSWORD_REJECTED', { message: `The password is not accepted: ${problems.join(' ')}`, field, details: { problems, rules: PASSWORD_RULES } });
}

/** A password for a first sign-in (the CLI's users, the demo admin): 24 random characters, which pass every rule. */
export const generatedPassword = (): string => randomBytes(18).toString('base64url');
