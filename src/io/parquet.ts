import {createHash} from 'node:crypto'
import {readFile, stat} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {InputError, UsageError} from '../cli/errors.js'
import {Builder, FATAL, FloatBuilder, INVALID, KeyBuilder, KeyListBuilder, LabelBuilder, makeBuilder, OK} from './builders.js'
import type {ColumnRequest, ReadOptions, ReadResult} from './read.js'
import {resolveColumns} from './read.js'
import {Column, ColumnKind} from './table.js'

/** The part of hyparquet (an optional dependency) that receval uses. */
interface Hyparquet {
  parquetMetadata(buffer: ArrayBuffer): unknown
  parquetSchema(metadata: unknown): {children: {element: {name: string}}[]}
  parquetRead(options: {
    file: {byteLength: number; slice(start: number, end?: number): ArrayBuffer}
    metadata?: unknown
    columns?: string[]
    compressors?: unknown
    utf8?: boolean
    rowStart?: number
    rowEnd?: number
    onChunk?: (chunk: {columnName: string; columnData: ArrayLike<unknown>; rowStart: number; rowEnd: number}) => void
  }): Promise<void>
}

export const PARQUET_PACKAGES = 'hyparquet@1.31.5 hyparquet-compressors@1.1.2'

/** An optional package: as an ES module from node_modules, else through require (which also searches NODE_PATH). */
async function optional<T>(id: string): Promise<T | undefined> {
  try {
    return (await import(id)) as T
  } catch {
    try {
      return createRequire(import.meta.url)(id) as T
    } catch {
      return undefined
    }
  }
}

let loaded: Promise<{hyparquet: Hyparquet; compressors: unknown}> | undefined
function hyparquet(): Promise<{hyparquet: Hyparquet; compressors: unknown}> {
  loaded ??= (async () => {
    const h = await optional<Hyparquet>('hyparquet')
    const c = await optional<{compressors: unknown}>('hyparquet-compressors')
    if (!h || !c) throw new UsageError(`reading Parquet needs the optional packages hyparquet and hyparquet-compressors: npm install ${PARQUET_PACKAGES}`)
    return {hyparquet: h, compressors: c.compressors}
  })()
  return loaded
}


/** A Parquet value as the CSV/JSON builders take it: INT64 arrives as bigint. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : String(v)
  if (Array.isArray(v)) return v.map(plain)
  return v
}

const NEEDED: Record<ColumnKind, string> = {float: 'a number', label: 'a label', key: 'a key', keylist: 'a list of keys'}

function shown(v: unknown): string {
  if (v === null || v === undefined) return ''
  return typeof v === 'string' ? v : typeof v === 'bigint' ? String(v) : (JSON.stringify(v) ?? String(v))
}

interface Chunk {
  rowStart: number
  data: ArrayLike<unknown>
}

function plainValue(v: unknown): unknown {
  if (v === null || v === undefined) return ''
  return typeof v === 'bigint' || Array.isArray(v) ? plain(v) : v
}

/**
 * Type one decoded chunk of a column into its builder at its rows (before any row is dropped),
 * mark the rows `seen` and raise `status[i]` to the row's code. Numbers, booleans and integer
 * keys, the common cases, are written straight into the typed array; anything else goes through
 * the builder's own rules.
 */
function typeChunk(b: Builder, c: Chunk, seen: Uint8Array, status: Uint8Array): void {
  const d = c.data
  const end = Math.min(seen.length, c.rowStart + d.length)
  const s0 = c.rowStart
  if (b instanceof FloatBuilder) {
    const out = b.data
    const nonNegative = b.nonNegative
    for (let i = s0; i < end; i++) {
      const v = d[i - s0]
      seen[i] = 1
      if (typeof v === 'number') {
        out[i] = v
        const code = v - v !== 0 ? INVALID : nonNegative && v < 0 ? FATAL : OK
        if (code > status[i]) status[i] = code
        continue
      }
      const code = b.setValue(i, plainValue(v))
      if (code > status[i]) status[i] = code
    }
  } else if (b instanceof LabelBuilder) {
    const out = b.data
    for (let i = s0; i < end; i++) {
      const v = d[i - s0]
      seen[i] = 1
      if (v === 0 || v === 1 || v === false || v === true) out[i] = +v
      else {
        const code = b.setValue(i, plainValue(v))
        if (code > status[i]) status[i] = code
      }
    }
  } else if (b instanceof KeyBuilder) {
    const out = b.data
    const dict = b.dict
    for (let i = s0; i < end; i++) {
      const v = d[i - s0]
      seen[i] = 1
      const x = typeof v === 'bigint' ? Number(v) : v
      // integers below 10^15 are the canonical integer texts the CSV reader hashes as numbers
      if (typeof x === 'number' && x >= 0 && x < 1e15 && Number.isInteger(x)) out[i] = dict.idOfInt(x)
      else if (typeof v === 'string') out[i] = dict.id(v)
      else {
        const code = b.setValue(i, plainValue(v))
        if (code > status[i]) status[i] = code
      }
    }
  } else {
    // key lists are appended row after row: chunks arrive in row order within a column
    for (let i = s0; i < end; i++) {
      seen[i] = 1
      const code = b.setValue(i, plainValue(d[i - s0]))
      if (code > status[i]) status[i] = code
    }
  }
}

/**
 * Read the requested columns of a Parquet file (any of the codecs hyparquet-compressors decodes:
 * snappy, gzip, zstd, brotli, lz4) into the same typed columns, with the same column flags,
 * defaults and errors as the CSV reader. Only the requested columns are decoded. The line number
 * of an error is the 1-based row number. Needs the optional packages hyparquet and
 * hyparquet-compressors (a usage error says how to add them).
 *
 * 1. load the file and its footer (schema) and resolve the requested columns against it
 * 2. decode those columns chunk by chunk (hyparquet)
 * 3. type each chunk as it arrives with the rules of the CSV reader's builders (NULL = empty
 *    value); invalid values fail with row and column, or drop the row with `dropInvalid`
 */
export async function readParquet(path: string, requests: readonly ColumnRequest[], opts: ReadOptions = {}): Promise<ReadResult> {
  if (path === '-') throw new UsageError('Parquet cannot be read from stdin: it needs random access; give the file name')
  const {hyparquet: h, compressors} = await hyparquet()
  // 1.
  let bytes: Buffer
  let mtime: string
  try {
    const st = await stat(path)
    if (st.isDirectory()) throw new InputError({file: path}, 'is a directory, not a file')
    mtime = st.mtime.toISOString()
    bytes = await readFile(path)
  } catch (e) {
    if (e instanceof InputError) throw e
    const code = (e as NodeJS.ErrnoException).code
    throw new InputError({file: path}, code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot open (${code})`)
  }
  if (bytes.length === 0) throw new InputError({file: path}, 'file is empty')
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
  let metadata: unknown
  let header: string[]
  try {
    metadata = h.parquetMetadata(buffer)
    header = h.parquetSchema(metadata).children.map((c) => c.element.name)
  } catch (e) {
    throw new InputError({file: path}, `not a readable Parquet file (${(e as Error).message})`)
  }
  const names = resolveColumns(path, header, requests)
  const builders = new Map<string, Builder>()
  const kinds = new Map<string, ColumnKind>()
  requests.forEach((r, i) => {
    const name = names[i]
    if (name === undefined) return
    const prev = kinds.get(name)
    if (prev !== undefined && prev !== r.kind) throw new UsageError(`column "${name}" cannot be both ${prev} and ${r.kind} (${r.flag ?? r.role})`)
    if (prev === undefined) {
      kinds.set(name, r.kind)
      builders.set(name, makeBuilder(r, name))
    } else if (r.nonNegative) (builders.get(name) as FloatBuilder & {nonNegative: boolean}).nonNegative = true
  })

  // 2. and 3. (each chunk is typed as it arrives, so decoded values do not pile up)
  const wanted = [...builders.keys()]
  const total = Number((metadata as {num_rows: bigint | number}).num_rows)
  for (const b of builders.values()) b.grow(Math.max(total, 1))
  const status = new Uint8Array(total)
  const seen = new Map(wanted.map((n) => [n, new Uint8Array(total)]))
  // key lists are typed once all their chunks are in, in row order
  const lists = new Map<string, Chunk[]>(wanted.filter((n) => builders.get(n) instanceof KeyListBuilder).map((n) => [n, []]))
  const file = {byteLength: buffer.byteLength, slice: (s: number, e?: number) => buffer.slice(s, e)}
  const read = async (rowStart: number, rowEnd: number, onChunk: (c: {columnName: string; columnData: ArrayLike<unknown>; rowStart: number}) => void) => {
    try {
      await h.parquetRead({file, metadata, columns: wanted, compressors, utf8: true, rowStart, rowEnd, onChunk})
    } catch (e) {
      throw new InputError({file: path}, `corrupt or unsupported Parquet data (${(e as Error).message})`)
    }
  }
  const onChunk = (c: {columnName: string; columnData: ArrayLike<unknown>; rowStart: number}) => {
    const chunk = {rowStart: c.rowStart, data: c.columnData}
    const list = lists.get(c.columnName)
    if (list) list.push(chunk)
    else typeChunk(builders.get(c.columnName) as Builder, chunk, seen.get(c.columnName) as Uint8Array, status)
  }
  // one row group at a time: hyparquet otherwise decodes every group before the first is typed
  let groupStart = 0
  for (const g of (metadata as {row_groups: {num_rows: bigint | number}[]}).row_groups) {
    const n = Number(g.num_rows)
    if (n > 0) await read(groupStart, groupStart + n, onChunk)
    groupStart += n
  }
  for (const [name, list] of lists) for (const c of list.sort((x, y) => x.rowStart - y.rowStart)) typeChunk(builders.get(name) as Builder, c, seen.get(name) as Uint8Array, status)
  for (const [name, rowsSeen] of seen) {
    const b = builders.get(name) as Builder
    for (let i = 0; i < total; i++) if (!rowsSeen[i]) status[i] = Math.max(status[i], b.setValue(i, ''))
  }
  const stop = status.findIndex((c) => c === FATAL || (c !== OK && !opts.dropInvalid))
  if (stop >= 0) {
    // the first problem row, as the CSV reader would meet it: its first FATAL column, else its first bad one
    const values = new Map<string, unknown>()
    await read(stop, stop + 1, (c) => {
      if (stop >= c.rowStart && stop < c.rowStart + c.columnData.length) values.set(c.columnName, c.columnData[stop - c.rowStart])
    })
    const codes = wanted.map((name) => {
      const b = builders.get(name) as Builder
      const v = values.get(name) ?? null
      return {name, b, v, code: b instanceof KeyListBuilder ? OK : b.setValue(0, plainValue(v))}
    })
    const bad = codes.find((c) => c.code === FATAL) ?? codes.find((c) => c.code !== OK) ?? codes[0]
    const what = bad.v === null || bad.v === undefined ? `NULL where ${NEEDED[bad.b.kind]} is needed` : bad.b.reason(shown(bad.v))
    throw new InputError({file: path, line: stop + 1, column: bad.name}, what + (opts.dropInvalid || bad.code === FATAL ? '' : ' (--drop-invalid skips such rows)'))
  }
  let rows = total
  let dropped = 0
  if (status.some((c) => c !== OK)) {
    // drop the invalid rows: compact every column in place
    const keep = status
    for (const [name, b] of builders) {
      if (b instanceof KeyListBuilder) {
        // lists are appended row after row: type the kept rows again
        const chunks = (lists.get(name) as Chunk[]).flatMap((c) => Array.from({length: c.data.length}, (_, k) => ({row: c.rowStart + k, v: c.data[k]})))
        let w = 0
        for (const {row, v} of chunks) if (keep[row] === OK) b.setValue(w++, plainValue(v))
        continue
      }
      const data = (b as FloatBuilder | LabelBuilder | KeyBuilder).data
      let w = 0
      for (let i = 0; i < total; i++) if (keep[i] === OK) data[w++] = data[i]
    }
    rows = 0
    for (let i = 0; i < total; i++) if (keep[i] === OK) rows++
    dropped = total - rows
  }
  if (rows === 0) throw new InputError({file: path}, dropped > 0 ? `all ${dropped} data rows were dropped as invalid` : 'no data rows')
  const out = new Map<string, Column>()
  for (const [name, b] of builders) out.set(name, b.finish(rows))
  const sha256 = opts.hash ? createHash('sha256').update(bytes).digest('hex') : undefined
  return {table: {source: {path, format: 'parquet', bytes: bytes.length, mtime, sha256}, header, rows, dropped, columns: out}, names}
}
