import pg from 'pg';
import { randomBytes } from 'node:crypto';

/**
 * The PostgreSQL suite runs when PARLEY_TEST_POSTGRES_URL points at a server (CI sets it, and
 * PARLEY_TEST_POSTGRES_REQUIRED=1 so it cannot silently skip). Each test file gets its own database.
 */
export const POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL || undefined;
export const POSTGRES_REQUIRED = process.env.PARLEY_TEST_POSTGRES_REQUIRED === '1';
export const POSTGRES_SKIP_REASON = 'PostgreSQL suite skipped: set PARLEY_TEST_POSTGRES_URL=postgres://user@host:5432/db to run it';

if (POSTGRES_REQUIRED && !POSTGRES_URL) {
  throw new Error('PARLEY_TEST_POSTGRES_REQUIRED=1 but PARLEY_TEST_POSTGRES_URL is not set: the PostgreSQL suite must run here.');
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates an empty database on the test server and returns its URL and a function that drops it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!POSTGRES_URL) throw new Error(POSTGRES_SKIP_REASON);
  const name = `parley_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(POSTGRES_URL, name),
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
