import {join} from 'node:path'
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

/** How a warehouse client exports a result, as DuckDB COPY options. */
export type ExportFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet'
const COPY: Record<ExportFormat, string> = {csv: "(HEADER, DELIMITER ',')", tsv: "(HEADER, DELIMITER '\t')", jsonl: '(FORMAT JSON)', parquet: '(FORMAT PARQUET)'}

/**
 * Run each query (one per shard) on `conn` and export its result to `dir/name-k.format`, the
 * formats taken in turn: the shard files a warehouse user would merge.
 */
export async function exportShards(conn: DuckConnection, dir: string, name: string, queries: string[], formats: ExportFormat[] = ['csv']): Promise<string[]> {
  const files: string[] = []
  for (const [k, sql] of queries.entries()) {
    const format = formats[k % formats.length]
    const file = join(dir, `${name}-${k}.${format}`)
    await conn.run(`COPY (${sql}) TO '${file}' ${COPY[format]}`)
    files.push(file)
  }
  return files
}

/** Shard k of n by a hash of `column`: disjoint by that key, as GAUC, recall and A/B merges need. */
export const byHash = (n: number, column = 'user_id'): string[] => Array.from({length: n}, (_, k) => `hash(${column}) % ${n} = ${k}`)
