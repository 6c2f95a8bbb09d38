import {createHash} from 'node:crypto'
import {readFile, stat} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {InputError, UsageError} from '../cli/errors.js'
import {Builder, FloatBuilder, KeyBuilder, KeyListBuilder, LabelBuilder, OK, FATAL} from './builders.js'
import type {ColumnRequest, ReadOptions, ReadResult} from './read.js'
import {resolveColumns} from './read.js'
import {Column, ColumnKind, KeyDict} from './table.js'

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

function builderFor(r: ColumnRequest, name: string): Builder {
  switch (r.kind) {
    case 'float':
      return new FloatBuilder(name, r.nonNegative)
    case 'label':
      return new LabelBuilder(name)
    case 'key':
      return new KeyBuilder(name, r.dict ?? new KeyDict())
    case 'keylist':
      return new KeyListBuilder(name, r.dict ?? new KeyDict(), r.sep ?? ', ')
  }
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

/**
 * Read the requested columns of a Parquet file (any of the codecs hyparquet-compressors decodes:
 * snappy, gzip, zstd, brotli, lz4) into the same typed columns, with the same column flags,
 * defaults and errors as the CSV reader. Only the requested columns are decoded. The line number
 * of an error is the 1-based row number. Needs the optional packages hyparquet and
 * hyparquet-compressors (a usage error says how to add them).
 *
 * 1. load the file and its footer (schema) and resolve the requested columns against it
 * 2. decode those columns, chunk by chunk, into one array each
 * 3. type every row through the builders of the CSV reader (NULL = empty value); invalid values
 *    fail with row and column, or drop the row with `dropInvalid`
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
      builders.set(name, builderFor(r, name))
    } else if (r.nonNegative) (builders.get(name) as FloatBuilder & {nonNegative: boolean}).nonNegative = true
  })

  // 2.
  const wanted = [...builders.keys()]
  const chunks = new Map<string, {rowStart: number; data: ArrayLike<unknown>}[]>(wanted.map((n) => [n, []]))
  try {
    await h.parquetRead({
      file: {byteLength: buffer.byteLength, slice: (s, e) => buffer.slice(s, e)},
      metadata,
      columns: wanted,
      compressors,
      utf8: true,
      onChunk: (c) => chunks.get(c.columnName)?.push({rowStart: c.rowStart, data: c.columnData}),
    })
  } catch (e) {
    throw new InputError({file: path}, `corrupt or unsupported Parquet data (${(e as Error).message})`)
  }
  let total = 0
  for (const list of chunks.values()) for (const c of list) total = Math.max(total, c.rowStart + c.data.length)

  // 3.
  for (const b of builders.values()) b.grow(Math.max(total, 1))
  const columns = wanted.map((n) => ({name: n, builder: builders.get(n) as Builder, chunks: (chunks.get(n) as {rowStart: number; data: ArrayLike<unknown>}[]).sort((a, b) => a.rowStart - b.rowStart)}))
  const cursor = columns.map(() => ({chunk: 0}))
  let rows = 0
  let dropped = 0
  for (let i = 0; i < total; i++) {
    let bad: {name: string; b: Builder; v: unknown; code: number} | undefined
    for (let j = 0; j < columns.length; j++) {
      const col = columns[j]
      const cur = cursor[j]
      let c = col.chunks[cur.chunk]
      while (c && i >= c.rowStart + c.data.length) c = col.chunks[++cur.chunk]
      const v = c && i >= c.rowStart ? c.data[i - c.rowStart] : null
      const value = typeof v === 'bigint' || Array.isArray(v) ? plain(v) : v
      const code = col.builder.setValue(rows, value === null ? '' : value)
      if (code !== OK && (bad === undefined || code === FATAL)) bad = {name: col.name, b: col.builder, v, code}
    }
    if (!bad) {
      rows++
      continue
    }
    if (!opts.dropInvalid || bad.code === FATAL) {
      const what = bad.v === null || bad.v === undefined ? `NULL where ${NEEDED[bad.b.kind]} is needed` : bad.b.reason(shown(bad.v))
      throw new InputError({file: path, line: i + 1, column: bad.name}, what + (opts.dropInvalid || bad.code === FATAL ? '' : ' (--drop-invalid skips such rows)'))
    }
    dropped++
  }
  if (rows === 0) throw new InputError({file: path}, dropped > 0 ? `all ${dropped} data rows were dropped as invalid` : 'no data rows')
  const out = new Map<string, Column>()
  for (const [name, b] of builders) out.set(name, b.finish(rows))
  const sha256 = opts.hash ? createHash('sha256').update(bytes).digest('hex') : undefined
  return {table: {source: {path, format: 'parquet', bytes: bytes.length, mtime, sha256}, header, rows, dropped, columns: out}, names}
}
