import type { ApiKeysTable, WorkspacesTable } from '../workspaces/tables.js';
import type { DataKeysTable } from '../crypto/tables.js';

/** Every table, as Kysely sees it. Each module declares its tables in its own `tables.ts`. */
export interface Database {
  workspaces: WorkspacesTable;
  api_keys: ApiKeysTable;
  data_keys: DataKeysTable;
}
