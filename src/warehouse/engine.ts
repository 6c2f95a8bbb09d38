import {closeSync, mkdtempSync, openSync, readSync, rmSync, statSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {InputError, UsageError} from '../cli/errors.js'
import {formatOf} from '../io/read.js'

/**
 * DuckDB as the local engine (`--engine duckdb`): the same statistics query that `receval sql`
 * prints for a warehouse, run in-process by DuckDB over the input file, so data larger than
 * memory is aggregated by DuckDB's out-of-core GROUP BY and only the small result is merged by
 * the command's `--stats` path. `@duckdb/node-api` is an optional dependency.
 */

export const DUCKDB_PACKAGE = '@duckdb/node-api@1.5.6-r.1'

/** One input file, seen by the query as a view named `view`. */
export interface EngineInput {
  view: string
  path: string
  /** the --format flag, if given */
  format?: string
}

export interface EngineSession {
  /** column names of a view, in file order */
  columns(view: string): Promise<string[]>
  /** Run one SELECT / WITH statement and write its result, with a header, to a temporary CSV file (removed when the session ends). */
  exportCsv(sql: string): Promise<string>
}

interface Connection {
  run(sql: string): Promise<unknown>
  runAndReadAll(sql: string): Promise<{getRowObjectsJson(): Record<string, unknown>[]}>
  closeSync(): void
}
interface Instance {
  connect(): Promise<Connection>
  closeSync(): void
}
interface DuckModule {
  DuckDBInstance: {create(path: string, options?: Record<string, string>): Promise<Instance>}
}

/**
 * @duckdb/node-api when it is installed, else undefined: first as an ES module from
 * node_modules, then through require, which also searches NODE_PATH (so a private install works).
 */
export async function tryLoadDuckDb(): Promise<unknown> {
  const id = '@duckdb/node-api'
  try {
    return await import(id)
  } catch {
    try {
      return createRequire(import.meta.url)(id)
    } catch {
      return undefined
    }
  }
}

async function loadDuckDb(): Promise<DuckModule> {
  const m = (await tryLoadDuckDb()) as DuckModule | undefined
  if (!m) throw new UsageError(`--engine duckdb needs the optional dependency @duckdb/node-api, which is not installed: run npm install ${DUCKDB_PACKAGE}`)
  return m
}

/** The DuckDB table function reading `input`, every delimited / JSON column as text so ids keep their spelling and the query's casts decide what is valid. */
export function sourceSql(input: EngineInput): string {
  const {path} = input
  if (path === '-') throw new UsageError('--engine duckdb reads files, not stdin ("-"); write the data to a file first')
  let size: number
  try {
    const st = statSync(path)
    if (!st.isFile()) throw new InputError({file: path}, 'not a file')
    size = st.size
  } catch (e) {
    if (e instanceof InputError) throw e
    throw new InputError({file: path}, 'no such file')
  }
  if (size === 0) throw new InputError({file: path}, 'the file is empty')
  const file = pathLiteral(resolve(path))
  const parquet = input.format === undefined && /\.parquet$/i.test(path)
  if (parquet) return `read_parquet(${file})`
  const format = formatOf(path, input.format)
  // gzip told by magic bytes, as the row reader does (DuckDB would go by the name)
  const gz = gzipped(path) ? ", compression = 'gzip'" : ''
  if (format === 'jsonl') return `read_json(${file}, format = 'newline_delimited'${gz})`
  const delim = format === 'csv' ? ", delim = ','" : format === 'tsv' ? ", delim = '\\t'" : ''
  return `read_csv(${file}, header = true, all_varchar = true, quote = '"', escape = '"'${delim}${gz || ", compression = 'none'"})`
}

/** A file path as a DuckDB string literal (quotes doubled; DuckDB strings have no backslash escapes). */
function pathLiteral(path: string): string {
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001f]/.test(path)) throw new UsageError(`--engine duckdb cannot read a path with control characters: ${JSON.stringify(path)}`)
  return `'${path.replace(/'/g, "''")}'`
}

function gzipped(path: string): boolean {
  const fd = openSync(path, 'r')
  try {
    const b = Buffer.alloc(2)
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b
  } finally {
    closeSync(fd)
  }
}

/** The first line of a DuckDB error, without its class prefix. */
function duckMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e)
  return m.split('\n')[0].replace(/^[A-Za-z ]+ Error: /, '').trim()
}

/**
 * Open an in-process DuckDB, create one view per input, run `fn`, then close DuckDB and remove
 * every temporary file. DuckDB uses every core and spills to a temporary directory beyond its
 * memory limit (RECEVAL_DUCKDB_MEMORY, e.g. "4GB"; DuckDB's default is 80% of RAM).
 */
export async function withDuckDb<T>(inputs: readonly EngineInput[], fn: (s: EngineSession) => Promise<T>): Promise<T> {
  const sources = inputs.map((i) => ({...i, sql: sourceSql(i)}))
  const duck = await loadDuckDb()
  const dir = mkdtempSync(join(tmpdir(), 'receval-duckdb-'))
  const options: Record<string, string> = {temp_directory: join(dir, 'spill'), preserve_insertion_order: 'false'}
  if (process.env.RECEVAL_DUCKDB_MEMORY) options.memory_limit = process.env.RECEVAL_DUCKDB_MEMORY
  let instance: Instance | undefined
  let conn: Connection | undefined
  try {
    instance = await duck.DuckDBInstance.create(':memory:', options)
    conn = await instance.connect()
    const c = conn
    const fileOf = new Map<string, string>()
    for (const s of sources) {
      fileOf.set(s.view, s.path)
      await c.run(`CREATE VIEW "${s.view}" AS SELECT * FROM ${s.sql}`).catch((e: unknown) => {
        throw new InputError({file: s.path}, `DuckDB cannot read it: ${duckMessage(e)}`)
      })
    }
    let n = 0
    const all = inputs.map((i) => i.path).join(', ')
    // an error about a temporary result file is an error about the inputs the query read
    const remap = (e: unknown): never => {
      if (e instanceof InputError && e.file.startsWith(dir)) throw new InputError({file: all, column: e.column}, e.detail)
      throw e
    }
    return await fn({
      async columns(view) {
        try {
          const rows = (await c.runAndReadAll(`DESCRIBE "${view}"`)).getRowObjectsJson()
          return rows.map((r) => String(r.column_name))
        } catch (e) {
          throw new InputError({file: fileOf.get(view) ?? view}, `DuckDB cannot read it: ${duckMessage(e)}`)
        }
      },
      async exportCsv(sql) {
        const out = join(dir, `result-${n++}.csv`)
        try {
          await c.run(`COPY (${sql}) TO ${pathLiteral(out)} (HEADER, DELIMITER ',')`)
        } catch (e) {
          throw new InputError({file: all}, `DuckDB: ${duckMessage(e)}`)
        }
        return out
      },
    }).catch(remap)
  } finally {
    conn?.closeSync()
    instance?.closeSync()
    rmSync(dir, {recursive: true, force: true})
  }
}
