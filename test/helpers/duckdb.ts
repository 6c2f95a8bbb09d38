import {createRequire} from 'node:module'

/** The part of @duckdb/node-api the tests use. */
export interface DuckConnection {
  run(sql: string): Promise<unknown>
  runAndReadAll(sql: string): Promise<{getRowObjectsJson(): Record<string, unknown>[]}>
  closeSync?(): void
}
export interface DuckModule {
  DuckDBInstance: {create(path: string, options?: Record<string, string>): Promise<{connect(): Promise<DuckConnection>}>}
}

/**
 * @duckdb/node-api when it is installed (an optional dependency), else undefined: first as an ES
 * module from node_modules, then through require, which also searches NODE_PATH (so a private
 * install can be used: NODE_PATH=/path/to/node_modules).
 */
export async function loadDuckDB(): Promise<DuckModule | undefined> {
  const id = '@duckdb/node-api'
  try {
    return (await import(id)) as DuckModule
  } catch {
    try {
      return createRequire(import.meta.url)(id) as DuckModule
    } catch {
      return undefined
    }
  }
}

export const DUCKDB_MISSING = '@duckdb/node-api is not installed (optional dependency; npm install @duckdb/node-api@1.5.6-r.1, or point NODE_PATH at a node_modules that has it)'
