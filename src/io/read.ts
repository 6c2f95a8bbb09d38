import {extname} from 'node:path'
import {InputError, UsageError} from '../cli/errors.js'
import {Builder, buildersFor, FATAL, FloatBuilder, KeyListBuilder, OK} from './builders.js'
import {DelimitedParser, RowSink, sniffDelimiter, splitHeader} from './delimited.js'
import {openSource} from './source.js'
import {parallelAvailable, parallelThreshold, readParallel} from './parallel.js'
import {FieldSpec, sinkFor} from './range.js'
import {Column, ColumnKind, KeyDict, Table} from './table.js'

export type Format = 'csv' | 'tsv' | 'txt' | 'jsonl'
export const FORMATS: readonly Format[] = ['csv', 'tsv', 'txt', 'jsonl']

/** One column a command needs: which header name, and how to type it. */
export interface ColumnRequest {
  /** what the column is for, in messages: "label", "score", "group" */
  role: string
  /** the flag that names it, in messages: "--label" */
  flag?: string
  /** the header name the user gave; when absent the defaults are tried in order */
  name?: string
  defaults?: readonly string[]
  kind: ColumnKind
  /** when no name is given and no default is present, leave the column out instead of failing */
  optional?: boolean
  /** float columns: negative values are an error (weights) */
  nonNegative?: boolean
  /** key columns: the dictionary to encode into (share it to compare keys across files) */
  dict?: KeyDict
  /** keylist columns: the separator characters */
  sep?: string
}

export interface ReadOptions {
  format?: string
  dropInvalid?: boolean
  /** hash the raw bytes while reading (for run history) */
  hash?: boolean
  /** progress on stderr when it is a terminal (default true) */
  progress?: boolean
  /** 1 forces one reader thread (large plain files are otherwise read by two) */
  threads?: number
}

export interface ReadResult {
  table: Table
  /** the header name chosen for each request, in request order (undefined: optional and absent) */
  names: (string | undefined)[]
}

/** The format of `path` from its name (`.gz` ignored), or from --format. */
export function formatOf(path: string, given?: string): Format {
  if (given) {
    if (!(FORMATS as readonly string[]).includes(given)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${given}"`)
    return given as Format
  }
  if (path === '-') throw new UsageError('reading stdin ("-") needs --format csv|tsv|txt|jsonl')
  const base = path.toLowerCase().replace(/\.(gz|gzip)$/, '')
  const ext = extname(base)
  switch (ext) {
    case '.csv':
      return 'csv'
    case '.tsv':
    case '.tab':
      return 'tsv'
    case '.txt':
    case '.dat':
      return 'txt'
    case '.jsonl':
    case '.ndjson':
      return 'jsonl'
    case '.parquet':
      throw new InputError({file: path}, 'Parquet input is not supported yet; export to CSV or JSONL')
    default:
      throw new UsageError(`${path}: cannot tell the format from the name "${ext || base}"; use --format csv|tsv|txt|jsonl`)
  }
}

/** Resolve each request against the header: the given name, else the first default present. */
export function resolveColumns(file: string, header: string[], requests: readonly ColumnRequest[]): (string | undefined)[] {
  const have = new Set(header)
  const list = () => header.map((h) => JSON.stringify(h)).join(', ')
  return requests.map((r) => {
    if (r.name !== undefined) {
      if (have.has(r.name)) return r.name
      throw new InputError({file}, `no column "${r.name}" (${r.flag ?? r.role}); the file has columns: ${list()}`)
    }
    const found = (r.defaults ?? []).find((d) => have.has(d))
    if (found !== undefined || r.optional) return found
    throw new InputError({file}, `no ${r.role} column: tried ${(r.defaults ?? []).join(', ')}${r.flag ? ` (name it with ${r.flag})` : ''}; the file has columns: ${list()}`)
  })
}


function looksBinary(b: Uint8Array): boolean {
  const n = Math.min(b.length, 4096)
  for (let i = 0; i < n; i++) if (b[i] === 0) return true
  return false
}

/**
 * Read the columns a command needs from a CSV / TSV / TXT / JSONL file (optionally gzipped, or
 * stdin for '-') into typed arrays. Only the requested columns are parsed.
 *
 * 1. open the stream (gzip by magic bytes), hash while reading when asked
 * 2. read the header (first record; JSONL: keys of the first object), strip a UTF-8 BOM
 * 3. resolve the requested columns against it
 * 4. parse records straight into typed builders; invalid values fail with file, line and column,
 *    or are dropped and counted with `dropInvalid`
 *
 * @throws InputError for missing files, empty files, a header without rows, missing columns and bad values
 */
export async function readTable(path: string, requests: readonly ColumnRequest[], opts: ReadOptions = {}): Promise<ReadResult> {
  if (opts.format === undefined && /\.parquet$/i.test(path)) return (await import('./parquet.js')).readParquet(path, requests, opts)
  const format = formatOf(path, opts.format)
  const src = await openSource(path, {hash: opts.hash, progress: opts.progress})
  const display = path === '-' ? '<stdin>' : path
  const chunks = src.chunks[Symbol.asyncIterator]()

  let buf: Buffer = Buffer.alloc(0)
  let done = false
  let firstChunk = true
  let bom = 0
  const pull = async (): Promise<boolean> => {
    if (done) return false
    const r = await chunks.next()
    if (r.done) {
      done = true
      return false
    }
    let c = r.value
    if (firstChunk) {
      firstChunk = false
      if (c.length >= 3 && c[0] === 0xef && c[1] === 0xbb && c[2] === 0xbf) {
        c = c.subarray(3)
        bom = 3
      }
      if (looksBinary(c)) throw new InputError({file: display}, 'binary data, not a text table (is it a different format?)')
    }
    buf = buf.length === 0 ? c : Buffer.concat([buf, c])
    return true
  }

  // 2. header
  let delim = format === 'tsv' ? 9 : 44
  let header: string[] | undefined
  let pos = 0
  let firstLine = 2
  let jsonFirst: Record<string, unknown> | undefined
  while (header === undefined) {
    const more = await pull()
    if (buf.length === 0 && !more) throw new InputError({file: display}, 'file is empty')
    if (format === 'jsonl') {
      const nl = buf.indexOf(10)
      if (nl < 0 && more) continue
      // skip leading blank lines
      let s = 0
      let line = 1
      for (;;) {
        const e = buf.indexOf(10, s)
        const text = buf.subarray(s, e < 0 ? buf.length : e).toString('utf8').trim()
        if (text !== '') {
          jsonFirst = parseJsonLine(display, line, text)
          header = Object.keys(jsonFirst)
          pos = e < 0 ? buf.length : e + 1
          firstLine = line + 1
          break
        }
        if (e < 0) {
          if (!more) throw new InputError({file: display}, 'file is empty')
          break
        }
        s = e + 1
        line++
      }
      if (header === undefined) continue
    } else {
      if (format === 'txt') {
        const nl = buf.indexOf(10)
        if (nl < 0 && more) continue
        delim = sniffDelimiter(buf.subarray(0, nl < 0 ? buf.length : nl).toString('utf8'))
      }
      const h = splitHeader(buf, delim, !more)
      if (h === null) {
        if (more) continue
        throw new InputError({file: display, line: 1}, 'unterminated quoted field in the header')
      }
      header = h.fields
      if (header.length === 1 && header[0].trim() === '') throw new InputError({file: display}, 'file is empty (the first line is blank)')
      pos = h.end
      firstLine = 1 + h.lines
    }
  }

  // 3. resolve
  const names = resolveColumns(display, header, requests)
  const builders = buildersFor(requests, names)

  const estimate = (bytesPerRow: number) => {
    if (src.size === undefined || src.gzip || bytesPerRow <= 0) return 1 << 16
    return Math.ceil((src.size / bytesPerRow) * 1.02) + 1024
  }
  const sample = buf.subarray(pos, Math.min(buf.length, pos + (1 << 16)))
  let lf = 0
  for (let i = 0; i < sample.length; i++) if (sample[i] === 10) lf++
  const initialCap = estimate(lf > 0 ? sample.length / lf : 0)

  // 4. rows (a large plain file: two threads)
  let rows: number
  let dropped: number
  const fields: FieldSpec[] = header.flatMap((h, i) => {
    const b = builders.get(h)
    if (!b || header.indexOf(h) !== i) return []
    return [{index: i, name: h, kind: b.kind, nonNegative: b instanceof FloatBuilder ? b.nonNegative : undefined, sep: b instanceof KeyListBuilder ? b.sep : undefined}]
  })
  const sink = sinkFor(header, fields, fields.map((f) => builders.get(f.name) as Builder), initialCap)
  if (format !== 'jsonl' && path !== '-' && !src.gzip && !opts.hash && opts.threads !== 1 && parallelAvailable() && src.size !== undefined && src.size - (bom + pos) >= parallelThreshold()) {
    src.close()
    const par = await readParallel({path, display, size: src.size, bodyStart: bom + pos, delim, header, fields, builders: fields.map((f) => builders.get(f.name) as Builder), dropInvalid: !!opts.dropInvalid, firstLine, bytesPerRow: lf > 0 ? sample.length / lf : 64})
    if (par === null) return readTable(path, requests, {...opts, threads: 1})
    if (par.rows === 0) throw new InputError({file: display}, par.dropped > 0 ? `all ${par.dropped} data rows were dropped as invalid` : 'no data rows (the file has a header only)')
    const columns = new Map<string, Column>(par.columns.map((c) => [c.name, c]))
    return {table: {source: {path, format, bytes: src.size, mtime: src.mtime}, header, rows: par.rows, dropped: par.dropped, columns}, names}
  }
  if (format === 'jsonl') {
    const r = await readJsonRows(display, header, builders, sink, !!opts.dropInvalid, jsonFirst as Record<string, unknown>, firstLine, () => buf, (b) => (buf = b), pos, pull)
    rows = r.rows
    dropped = r.dropped
  } else {
    const parser = new DelimitedParser(display, delim, header, sink, !!opts.dropInvalid, firstLine)
    for (;;) {
      const more = await pull()
      pos = parser.parse(buf, pos, !more)
      buf = buf.subarray(pos)
      pos = 0
      if (!more) break
    }
    rows = parser.rows
    dropped = parser.dropped
  }
  if (rows === 0) {
    throw new InputError({file: display}, dropped > 0 ? `all ${dropped} data rows were dropped as invalid` : 'no data rows (the file has a header only)')
  }
  const columns = new Map<string, Column>()
  for (const [name, b] of builders) columns.set(name, b.finish(rows))
  return {
    table: {source: {path, format, bytes: src.bytesRead(), mtime: src.mtime, sha256: src.sha256()}, header, rows, dropped, columns},
    names,
  }
}

function parseJsonLine(file: string, line: number, text: string): Record<string, unknown> {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch (e) {
    throw new InputError({file, line}, `not valid JSON (${(e as Error).message})`)
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InputError({file, line}, 'each line must be a JSON object')
  return v as Record<string, unknown>
}

async function readJsonRows(
  file: string,
  header: string[],
  builders: Map<string, Builder>,
  sink: RowSink,
  dropInvalid: boolean,
  first: Record<string, unknown>,
  firstLine: number,
  getBuf: () => Buffer,
  setBuf: (b: Buffer) => void,
  pos: number,
  pull: () => Promise<boolean>,
): Promise<{rows: number; dropped: number}> {
  let rows = 0
  let dropped = 0
  let line = firstLine - 1
  const entries = [...builders.entries()]
  const take = (obj: Record<string, unknown>, ln: number) => {
    sink.ensure(rows)
    let bad: [string, Builder, unknown, number] | undefined
    for (const [name, b] of entries) {
      if (!(name in obj)) throw new InputError({file, line: ln, column: name}, `the object has no field "${name}"`)
      const v = obj[name]
      const code = b.setValue(rows, v)
      if (code !== OK && (bad === undefined || code === FATAL)) bad = [name, b, v, code]
    }
    if (bad) {
      const [name, b, v, code] = bad
      if (!dropInvalid || code === FATAL) throw new InputError({file, line: ln, column: name}, b.reason(typeof v === 'string' ? v : JSON.stringify(v) ?? '') + (dropInvalid || code === FATAL ? '' : ' (--drop-invalid skips such rows)'))
      dropped++
    } else rows++
  }
  take(first, line)
  void header
  for (;;) {
    const more = await pull()
    const buf = getBuf()
    for (;;) {
      const e = buf.indexOf(10, pos)
      if (e < 0 && more) break
      const end = e < 0 ? buf.length : e
      line++
      const text = buf.subarray(pos, end).toString('utf8').trim()
      if (text !== '') take(parseJsonLine(file, line, text), line)
      pos = e < 0 ? buf.length : e + 1
      if (e < 0) break
    }
    setBuf(buf.subarray(pos))
    pos = 0
    if (!more) break
  }
  return {rows, dropped}
}
