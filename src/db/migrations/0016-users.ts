import type { Migration } from './types.js';
import { columns } from './types.js';

/**
 * People of a workspace and their console sign-in (docs/decisions/0016-console-sign-in.md):
 * - users: name and email sealed with the workspace's data key; `email_hash` (the workspace's keyed
 *   lookup hash) makes an address unique in its workspace, `sign_in_hash` (a system keyed hash) finds
 *   the accounts of an address at sign-in, before the workspace is known; `password_hash` is a
 *   self-describing scrypt string, null until the person sets one.
 * - teams and team_members: who an agent or supervisor works with.
 * - invitations: a link's token, stored only as its SHA-256, with its expiry and when it was used.
 * - sessions: a console session's token, stored only as its SHA-256, with idle and absolute expiry.
 */
export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull().references('workspaces.id'))
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('email', 'text', (col) => col.notNull())
      .addColumn('email_hash', 'text', (col) => col.notNull())
      .addColumn('sign_in_hash', 'text', (col) => col.notNull())
      .addColumn('role', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('password_hash', 'text')
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('users_workspace_email').on('users').columns(['workspace_id', 'email_hash']).unique().execute();
    await db.schema.createIndex('users_sign_in').on('users').column('sign_in_hash').execute();

    await db.schema
      .createTable('teams')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull().references('workspaces.id'))
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('teams_workspace_name').on('teams').columns(['workspace_id', 'name']).unique().execute();

    await db.schema
      .createTable('team_members')
      .addColumn('team_id', 'text', (col) => col.notNull().references('teams.id'))
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id'))
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'user_id'])
      .execute();
    await db.schema.createIndex('team_members_user').on('team_members').column('user_id').execute();

    await db.schema
      .createTable('invitations')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id'))
      .addColumn('token_hash', 'text', (col) => col.notNull().unique())
      .addColumn('created_by', 'text', (col) => col.notNull())
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('expires_at', c.bigint, (col) => col.notNull())
      .addColumn('used_at', c.bigint)
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id'))
      .addColumn('token_hash', 'text', (col) => col.notNull().unique())
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('last_seen_at', c.bigint, (col) => col.notNull())
      .addColumn('expires_at', c.bigint, (col) => col.notNull())
      .addColumn('revoked_at', c.bigint)
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
  },
};
