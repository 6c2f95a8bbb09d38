/**
 * The run store's schema, as the list of forward migrations that build it.
 *
 * A database records its schema version in `PRAGMA user_version` and marks itself as a receval
 * run store with `PRAGMA application_id`. Migration `i` (0-based) turns a version-`i` database
 * into a version-`i + 1` one. A fresh database is built by running every migration from 0, so
 * the upgrade path is the creation path and cannot drift from it.
 *
 * Version history:
 *   1. `runs` with tags and inputs as JSON text columns (the first layout).
 *   2. tags and inputs move to their own tables (`run_tags`, indexed by key and value, so
 *      `tag:KEY=VALUE` is an index lookup; `run_inputs`, which adds format and mtime), `runs`
 *      gains `cwd`, an index by command and a `meta` table (who created and last upgraded it).
 *
 * Never edit a migration that has shipped: add a new one and bump SCHEMA_VERSION.
 */

/** 'RcEv' as a big-endian 32-bit integer: tells a receval run store from any other SQLite file. */
export const APPLICATION_ID = 0x52634576

export interface Migration {
  /** the version this migration produces */
  to: number
  summary: string
  sql: string
}

export const MIGRATIONS: readonly Migration[] = [
  {
    to: 1,
    summary: 'runs with tags and inputs as JSON columns',
    sql: `
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        command TEXT NOT NULL,
        argv TEXT NOT NULL,
        created_at TEXT NOT NULL,
        duration_ms REAL NOT NULL,
        receval_version TEXT NOT NULL,
        inputs TEXT NOT NULL,
        tags TEXT NOT NULL,
        result TEXT NOT NULL
      );
      CREATE INDEX runs_created_at ON runs (created_at);
    `,
  },
  {
    to: 2,
    summary: 'tags and inputs in their own tables; cwd; index by command; meta',
    sql: `
      CREATE TABLE run_tags (
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (run_id, key)
      ) WITHOUT ROWID;
      CREATE INDEX run_tags_by_value ON run_tags (key, value, run_id);
      INSERT INTO run_tags (run_id, key, value)
        SELECT runs.id, t.key, CAST(t.value AS TEXT) FROM runs, json_each(runs.tags) AS t;

      CREATE TABLE run_inputs (
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        path TEXT NOT NULL,
        format TEXT,
        bytes INTEGER,
        mtime TEXT,
        sha256 TEXT,
        PRIMARY KEY (run_id, position)
      ) WITHOUT ROWID;
      INSERT INTO run_inputs (run_id, position, path, bytes, sha256)
        SELECT runs.id, i.key, json_extract(i.value, '$.path'), json_extract(i.value, '$.bytes'), json_extract(i.value, '$.sha256')
        FROM runs, json_each(runs.inputs) AS i;

      ALTER TABLE runs DROP COLUMN tags;
      ALTER TABLE runs DROP COLUMN inputs;
      ALTER TABLE runs ADD COLUMN cwd TEXT;
      CREATE INDEX runs_command ON runs (command, created_at);

      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    `,
  },
]

/** The schema version this receval writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length
