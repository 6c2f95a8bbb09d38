import {tryLoadDuckDb} from '../../src/warehouse/engine.js'

/** The part of @duckdb/node-api the tests use. */
export interface DuckConnection {
  run(sql: string): Promise<unknown>
  runAndReadAll(sql: string): Promise<{getRowObjectsJson(): Record<string, unknown>[]}>
  closeSync?(): void
}
export interface DuckModule {
  DuckDBInstance: {create(path: string, options?: Record<string, string>): Promise<{connect(): Promise<DuckConnection>}>}
}

/** @duckdb/node-api when it is installed (an optional dependency), else undefined (the engine's loader). */
export async function loadDuckDB(): Promise<DuckModule | undefined> {
  return (await tryLoadDuckDb()) as DuckModule | undefined
}

export const DUCKDB_MISSING = '@duckdb/node-api is not installed (optional dependency; npm install @duckdb/node-api@1.5.6-r.1, or point NODE_PATH at a node_modules that has it)'
