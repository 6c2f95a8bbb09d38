import {mkdirSync, statSync} from 'node:fs'
import {dirname} from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import {InputError} from '../cli/errors.js'
import {APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION} from './schema.js'

/** How long a writer waits for another process's write lock before giving up (ms). */
export const BUSY_TIMEOUT_MS = 60_000

/** One input file of a run, fingerprinted while it was read. */
export interface RunInput {
  /** the path as given on the command line ('-' for stdin) */
  path: string
  format?: string
  /** bytes read (the compressed size for .gz) */
  bytes?: number
  /** modification time, ISO 8601 */
  mtime?: string
  sha256?: string
}

/** A run to store. */
export interface NewRun {
  /** the command as typed, words separated by spaces: "auc", "pareto" */
  command: string
  /** the arguments after the command name, as given */
  argv: string[]
  /** the working directory the run's relative paths are relative to */
  cwd?: string
  /** start time, ISO 8601 UTC (Date.toISOString) */
  created_at: string
  duration_ms: number
  receval_version: string
  inputs: RunInput[]
  tags: Record<string, string>
  /** the command's JSON result, exactly as `--json` prints it */
  result: unknown
}

/** A stored run as `runs list` shows it. */
export interface RunSummary {
  id: number
  command: string
  created_at: string
  duration_ms: number
  receval_version: string
  tags: Record<string, string>
}

/** A stored run with everything it keeps (`runs show`). */
export interface StoredRun extends RunSummary {
  argv: string[]
  cwd: string | null
  inputs: RunInput[]
  result: Record<string, unknown>
}

export interface RunFilter {
  /** every tag must match (AND) */
  tags?: Record<string, string>
  command?: string
  /** created_at >= since (ISO 8601 UTC) */
  since?: string
  /** created_at < until (ISO 8601 UTC) */
  until?: string
  limit?: number
  /** default newest first (created_at, then id, descending) */
  order?: 'newest' | 'oldest'
}

export interface OpenOptions {
  /** create the file (and its directory) when missing: for --record; readers need an existing file */
  create: boolean
  /** this receval's version, noted in the meta table on creation and upgrade */
  recevalVersion: string
}

type Db = BetterSqlite3.Database

interface RunRow {
  id: number
  command: string
  created_at: string
  duration_ms: number
  receval_version: string
  tags: string
  argv?: string
  cwd?: string | null
  result?: string
}

/**
 * The SQLite run store behind --record, `runs`, `gate` and `report weekly`.
 *
 * Concurrency and crash safety come from SQLite itself: WAL journal (readers never block the
 * writer), synchronous=FULL, a busy timeout so concurrent writers queue instead of failing,
 * and every write (a run with its tags and inputs, a migration) in one BEGIN IMMEDIATE
 * transaction, which takes the write lock up front so two writers cannot deadlock upgrading
 * a read lock. A process killed mid-write leaves an uncommitted WAL tail that the next open
 * discards.
 */
export class RunStore {
  private constructor(
    readonly file: string,
    private readonly db: Db,
  ) {}

  /**
   * Open (and, with `create`, create) the run database at `file`, upgrading an older schema.
   *
   * @throws InputError when the file is missing (without `create`), not SQLite, corrupt, another
   *   application's database, or written by a newer receval (a schema version above ours)
   */
  static async open(file: string, opts: OpenOptions): Promise<RunStore> {
    let exists = true
    try {
      if (statSync(file).isDirectory()) throw new InputError({file}, 'is a directory, not a run database')
    } catch (e) {
      if (e instanceof InputError) throw e
      exists = false
    }
    if (!exists) {
      if (!opts.create) throw new InputError({file}, 'no such run database (runs are recorded into it with --record --db FILE)')
      mkdirSync(dirname(file), {recursive: true})
    }
    const {default: Database} = await import('better-sqlite3')
    const db = guard(file, () => new Database(file, {timeout: BUSY_TIMEOUT_MS, fileMustExist: !opts.create}))
    const store = new RunStore(file, db)
    try {
      guard(file, () => {
        db.pragma('foreign_keys = ON')
        store.checkIdentity()
        if (db.pragma('journal_mode', {simple: true}) !== 'wal') db.pragma('journal_mode = WAL')
        db.pragma('synchronous = FULL')
        store.migrate(opts.recevalVersion)
      })
    } catch (e) {
      db.close()
      throw e
    }
    return store
  }

  close(): void {
    if (this.db.open) this.db.close()
  }

  /** The schema version of the open database (SCHEMA_VERSION once opened). */
  get schemaVersion(): number {
    return this.db.pragma('user_version', {simple: true}) as number
  }

  /** Store one run with its tags and inputs in one transaction; returns its id. */
  record(run: NewRun): number {
    const insertRun = this.db.prepare(
      'INSERT INTO runs (command, argv, cwd, created_at, duration_ms, receval_version, result) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    const insertTag = this.db.prepare('INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?)')
    const insertInput = this.db.prepare('INSERT INTO run_inputs (run_id, position, path, format, bytes, mtime, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)')
    const write = this.db.transaction((r: NewRun): number => {
      const info = insertRun.run(r.command, JSON.stringify(r.argv), r.cwd ?? null, r.created_at, r.duration_ms, r.receval_version, JSON.stringify(r.result))
      const id = Number(info.lastInsertRowid)
      for (const [k, v] of Object.entries(r.tags)) insertTag.run(id, k, v)
      r.inputs.forEach((f, i) => insertInput.run(id, i, f.path, f.format ?? null, f.bytes ?? null, f.mtime ?? null, f.sha256 ?? null))
      return id
    })
    return guard(this.file, () => write.immediate(run))
  }

  /** Runs matching `filter`, newest first unless asked otherwise. */
  list(filter: RunFilter = {}): RunSummary[] {
    const {sql, params} = selectRuns(filter, false)
    return guard(this.file, () => (this.db.prepare(sql).all(...params) as RunRow[]).map((r) => this.summary(r)))
  }

  /** How many runs match `filter` (its limit and order ignored). */
  count(filter: RunFilter = {}): number {
    const {sql, params} = selectRuns({...filter, limit: undefined}, false)
    return guard(this.file, () => this.db.prepare(`SELECT count(*) FROM (${sql})`).pluck().get(...params) as number)
  }

  /** Runs matching `filter` with their results (oldest first by default: for trends). */
  listWithResults(filter: RunFilter = {}): (RunSummary & {result: Record<string, unknown>})[] {
    const {sql, params} = selectRuns({order: 'oldest', ...filter}, true)
    return guard(this.file, () => (this.db.prepare(sql).all(...params) as RunRow[]).map((r) => ({...this.summary(r), result: this.parse(r.id, 'result', r.result as string) as Record<string, unknown>})))
  }

  /** The run with this id, or undefined. */
  get(id: number): StoredRun | undefined {
    return guard(this.file, () => {
      const {sql, params} = selectRuns({}, true, id)
      const row = this.db.prepare(sql).get(...params) as RunRow | undefined
      if (!row) return undefined
      const inputs = this.db.prepare('SELECT path, format, bytes, mtime, sha256 FROM run_inputs WHERE run_id = ? ORDER BY position').all(id) as Record<string, unknown>[]
      return {
        ...this.summary(row),
        argv: this.parse(id, 'argv', row.argv as string) as string[],
        cwd: row.cwd ?? null,
        inputs: inputs.map((i) => {
          const out: RunInput = {path: i.path as string}
          for (const k of ['format', 'bytes', 'mtime', 'sha256'] as const) if (i[k] !== null) (out as unknown as Record<string, unknown>)[k] = i[k]
          return out
        }),
        result: this.parse(id, 'result', row.result as string) as Record<string, unknown>,
      }
    })
  }

  /** Run `PRAGMA integrity_check`; returns 'ok' or the first problems found. */
  integrityCheck(): string {
    return guard(this.file, () => (this.db.pragma('integrity_check', {simple: false}) as {integrity_check: string}[]).map((r) => r.integrity_check).join('; '))
  }

  private summary(r: RunRow): RunSummary {
    return {id: r.id, command: r.command, created_at: r.created_at, duration_ms: r.duration_ms, receval_version: r.receval_version, tags: this.parse(r.id, 'tags', r.tags) as Record<string, string>}
  }

  private parse(id: number, what: string, text: string): unknown {
    try {
      return JSON.parse(text)
    } catch {
      throw new InputError({file: this.file}, `run ${id}: the stored ${what} is not valid JSON (the database was edited or damaged)`)
    }
  }

  /** Refuse files that are SQLite but not ours, and schemas newer than this receval. */
  private checkIdentity(): void {
    const version = this.db.pragma('user_version', {simple: true}) as number
    const app = this.db.pragma('application_id', {simple: true}) as number
    if (app !== APPLICATION_ID) {
      const tables = (this.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[])
      if (tables.length > 0 || version !== 0) {
        throw new InputError({file: this.file}, `is an SQLite database but not a receval run database${tables.length ? ` (its tables: ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', ...' : ''})` : ''}`)
      }
    }
    if (version > SCHEMA_VERSION) throw this.newerError(version)
  }

  private newerError(version: number): InputError {
    let by = ''
    try {
      const v = this.db.prepare("SELECT value FROM meta WHERE key = 'upgraded_by'").pluck().get()
      if (typeof v === 'string') by = ` (last upgraded by receval ${v})`
    } catch {
      // a newer layout may have no meta table: the version number alone tells the story
    }
    return new InputError({file: this.file}, `run database schema version ${version}${by} is newer than this receval understands (up to ${SCHEMA_VERSION}); upgrade receval to use this file`)
  }

  /**
   * Bring the schema to SCHEMA_VERSION. The version is read again inside the write transaction:
   * when several processes open a fresh or old file at once, the first migrates and the others
   * find nothing left to do.
   */
  private migrate(recevalVersion: string): void {
    if ((this.db.pragma('user_version', {simple: true}) as number) === SCHEMA_VERSION) return
    const run = this.db.transaction(() => {
      const from = this.db.pragma('user_version', {simple: true}) as number
      if (from === SCHEMA_VERSION) return
      if (from > SCHEMA_VERSION) throw this.newerError(from)
      for (const m of MIGRATIONS.slice(from)) this.db.exec(m.sql)
      this.db.pragma(`application_id = ${APPLICATION_ID}`)
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`)
      const meta = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      if (from === 0) meta.run('created_by', recevalVersion)
      meta.run('upgraded_by', recevalVersion)
      meta.run(`upgraded_from_${from}_at`, new Date().toISOString())
    })
    run.immediate()
  }
}

function selectRuns(filter: RunFilter, full: boolean, id?: number): {sql: string; params: unknown[]} {
  const where: string[] = []
  const params: unknown[] = []
  if (id !== undefined) {
    where.push('id = ?')
    params.push(id)
  }
  if (filter.command !== undefined) {
    where.push('command = ?')
    params.push(filter.command)
  }
  if (filter.since !== undefined) {
    where.push('created_at >= ?')
    params.push(filter.since)
  }
  if (filter.until !== undefined) {
    where.push('created_at < ?')
    params.push(filter.until)
  }
  for (const [k, v] of Object.entries(filter.tags ?? {})) {
    where.push('EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = runs.id AND t.key = ? AND t.value = ?)')
    params.push(k, v)
  }
  const dir = filter.order === 'oldest' ? 'ASC' : 'DESC'
  let sql =
    'SELECT id, command, created_at, duration_ms, receval_version, ' +
    "(SELECT json_group_object(key, value) FROM run_tags WHERE run_id = runs.id) AS tags" +
    (full ? ', argv, cwd, result' : '') +
    ' FROM runs' +
    (where.length ? ' WHERE ' + where.join(' AND ') : '') +
    ` ORDER BY created_at ${dir}, id ${dir}`
  if (filter.limit !== undefined) {
    sql += ' LIMIT ?'
    params.push(filter.limit)
  }
  return {sql, params}
}

const SQLITE_MESSAGES: Record<string, string> = {
  SQLITE_NOTADB: 'not a run database: the file is not SQLite, or is encrypted or damaged',
  SQLITE_CORRUPT: 'the run database is damaged (SQLite reports it malformed); restore it from a copy',
  SQLITE_BUSY: `the run database stayed locked by another process for more than ${BUSY_TIMEOUT_MS / 1000} s`,
  SQLITE_READONLY: 'the run database is read-only here (check the file and directory permissions)',
  SQLITE_CANTOPEN: 'cannot open the run database (check that the directory exists and is writable)',
  SQLITE_FULL: 'the disk is full: the run was not recorded',
  SQLITE_IOERR: 'input/output error on the run database',
}

/** Run `fn`, turning SQLite's errors about the file into one clear InputError naming it. */
export function guard<T>(file: string, fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    const code = (e as {code?: unknown}).code
    if (typeof code === 'string' && code.startsWith('SQLITE_')) {
      const base = code.replace(/^(SQLITE_[A-Z]+?)(_[A-Z_]+)?$/, '$1')
      const msg = SQLITE_MESSAGES[base]
      if (msg) throw new InputError({file}, `${msg} (${(e as Error).message})`)
    }
    throw e
  }
}
