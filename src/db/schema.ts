/**
 * Every table, as Kysely sees it. `db/` knows no module: each module declares its tables in its own
 * `tables.ts` and registers them here by augmenting this interface (`declare module '../db/schema.js'`),
 * so the dependency runs from the owner to the database and never back. A table belongs to the module
 * whose `tables.ts` registers it.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the modules' declarations
export interface Database {}
