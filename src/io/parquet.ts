import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {FileHandle, open} from 'node:fs/promises'
import {InputError, UsageError} from '../cli/errors.js'
import {Builder, buildersFor, FATAL, FloatBuilder, INVALID, KeyBuilder, KeyListBuilder, LabelBuilder, OK} from './builders.js'
import {Codecs, codecsFor, Hyparquet, loadCompressors, loadReader, SchemaNode} from './parquet-codec.js'
import {anyNonZero, ColumnDecoder, fastLeaf, Leaf, PageData, PageRef, ParquetDataError, raiseStatus, scanChunk, SchemaElementLike} from './parquet-decode.js'
import {Inflater, inlineInflater, poolInflater} from './parquet-pool.js'
import {claimForMain, spawnSplitWorker, SplitColumn, SplitResult, startSplit} from './parquet-split.js'
import type {ColumnRequest, ReadOptions, ReadResult} from './read.js'
import {resolveColumns} from './read.js'
import {fileBytes} from './source.js'
import {Column, ColumnKind, DENSE_MAX} from './table.js'

export {PARQUET_PACKAGES} from './parquet-codec.js'

/**
 * Column chunks decoded by the fast path and by hyparquet, and the decompression threads used,
 * in the last `readParquet` call (for tests and benchmarks). RECEVAL_PARQUET_SLOW=1 sends every column through hyparquet.
 */
export const parquetReadStats = {fast: 0, slow: 0, threads: 0, split: 0, splitKeys: ''}

const NEEDED: Record<ColumnKind, string> = {float: 'a number', label: 'a label', key: 'a key', keylist: 'a list of keys'}

function shown(v: unknown): string {
  if (v === null || v === undefined) return ''
  return typeof v === 'string' ? v : typeof v === 'bigint' || typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v))
}

/** A Parquet value as the CSV/JSON builders take it: INT64 arrives as bigint, NULL is an empty field. */
function plainValue(v: unknown): unknown {
  if (v === null || v === undefined) return ''
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : String(v)
  if (Array.isArray(v)) return v.map(plainValue)
  return v
}

/**
 * A DECIMAL value as hyparquet gives it (unscaled * 10^-scale, not correctly rounded) made what
 * the CSV reader makes of its text: unscaled / 10^scale, and that text for keys ("12.5000").
 */
function exactDecimal(v: unknown, scale: number, text: boolean): unknown {
  if (typeof v !== 'number' || !Number.isFinite(v)) return v
  const u = Math.round(v * 10 ** scale)
  if (!Number.isSafeInteger(u)) return v
  if (!text) return u / 10 ** scale
  const digits = String(Math.abs(u)).padStart(scale + 1, '0')
  return (u < 0 ? '-' : '') + digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale)
}

/** The first problem row of a column (null text: a NULL). */
interface FirstBad {
  row: number
  code: number
  text: string | null
}

/**
 * Type the values hyparquet decoded for rows [rowStart, ...) of a column (the slow path) with the
 * builder's own rules, raising `status` and noting the first row whose code reaches `threshold`.
 */
function typeValues(b: Builder, rowStart: number, d: ArrayLike<unknown>, status: Uint8Array, threshold: number, note: (f: FirstBad) => void): void {
  for (let k = 0; k < d.length; k++) {
    const i = rowStart + k
    const v = d[k]
    let code: number
    if (b instanceof FloatBuilder && typeof v === 'number') {
      b.data[i] = v
      code = v - v !== 0 ? INVALID : b.nonNegative && v < 0 ? FATAL : OK
    } else if (b instanceof LabelBuilder && (v === 0 || v === 1 || v === false || v === true)) {
      b.data[i] = +v
      code = OK
    } else if (b instanceof KeyBuilder && typeof v === 'bigint' && v >= 0n && v < 1000000000000000n) {
      // the builder's deferred key: ids are given in row order when it settles
      const x = Number(v)
      b.data[i] = x < DENSE_MAX ? -x - 1 : b.deferredInt(x)
      code = OK
    } else code = b.setValue(i, plainValue(v))
    if (code !== OK) {
      raiseStatus(status, i, code)
      if (code >= threshold) note({row: i, code, text: v === null || v === undefined ? null : shown(v)})
    }
  }
}

/** Remove the rows whose status is not OK from every column, in place; returns the rows kept. */
function compact(builders: Iterable<Builder>, status: Uint8Array, total: number): number {
  let rows = 0
  for (let i = 0; i < total; i++) if (status[i] === OK) rows++
  for (const b of builders) {
    if (b instanceof KeyListBuilder) {
      const {offsets, ids} = b
      let w = 0
      let at = 0
      for (let i = 0; i < total; i++) {
        if (status[i] !== OK) continue
        const s = offsets[i]
        const e = offsets[i + 1]
        ids.copyWithin(at, s, e)
        offsets[w] = at
        at += e - s
        w++
      }
      offsets[w] = at
      continue
    }
    const data = (b as FloatBuilder | LabelBuilder | KeyBuilder).data
    let w = 0
    for (let i = 0; i < total; i++) if (status[i] === OK) data[w++] = data[i]
  }
  return rows
}

interface GroupMeta {
  num_rows: bigint | number
  columns: {meta_data?: {path_in_schema: string[]; codec: string; data_page_offset: bigint | number; dictionary_page_offset?: bigint | number; total_compressed_size: bigint | number}}[]
}

/** A fast column's chunk in one row group, read, split into pages and being decompressed. */
interface Prepared {
  name: string
  /** the chunk's pages in batches of at most BATCH compressed bytes (positions in their batch) */
  batches: {bytes: Uint8Array; pages: PageRef[]}[]
  /** start decompressing batch k */
  inflate: (k: number) => Promise<(i: number) => PageData>
  first: Promise<(i: number) => PageData>
}

/**
 * Pages are decompressed in batches of at most 4 MiB of compressed bytes (RECEVAL_PARQUET_BATCH),
 * at most two batches of a column ahead of its decoding: a large row group is not held
 * decompressed all at once.
 */
function batchBytes(): number {
  const env = Number(process.env.RECEVAL_PARQUET_BATCH)
  return Number.isFinite(env) && env > 0 ? env : 4 << 20
}

function batchesOf(chunk: Uint8Array, pages: PageRef[]): {bytes: Uint8Array; pages: PageRef[]}[] {
  const BATCH = batchBytes()
  if (chunk.length <= BATCH) return [{bytes: chunk, pages}]
  const out: {bytes: Uint8Array; pages: PageRef[]}[] = []
  let from = 0
  while (from < pages.length) {
    let to = from + 1
    while (to < pages.length && pages[to].end - pages[from].start <= BATCH) to++
    const base = pages[from].start
    const end = pages[to - 1].end
    out.push({bytes: chunk.subarray(base, end), pages: pages.slice(from, to).map((p) => ({header: p.header, start: p.start - base, end: p.end - base}))})
    from = to
  }
  return out
}

/**
 * Worker threads that decompress pages (RECEVAL_PARQUET_THREADS, default 0: this thread). Measured
 * on the project's shared 2-core machine, one or two decompression threads cost 0.5 s more CPU
 * than they save on 10M rows (the pages they write are cold in the cache of the thread that
 * decodes them) and were slower in wall time too; on idle cores they can shorten zstd and gzip.
 */
function decompressionThreads(): number {
  if (process.env.RECEVAL_THREADS === '1') return 0
  const n = Number(process.env.RECEVAL_PARQUET_THREADS ?? 0)
  return Number.isInteger(n) && n > 0 ? Math.min(n, 8) : 0
}

/** With worker threads, files whose requested columns are smaller than this are still decompressed by this thread. */
function poolThreshold(): number {
  const env = Number(process.env.RECEVAL_PARALLEL_MIN)
  return Number.isFinite(env) && env > 0 ? env : 16 << 20
}

/**
 * Files of this many rows or more are read by two threads (when there are several row groups),
 * into shared memory; RECEVAL_PARQUET_SPLIT_MIN lowers it (the tests read small files this way).
 */
function splitMinRows(): number {
  const env = Number(process.env.RECEVAL_PARQUET_SPLIT_MIN)
  return Number.isInteger(env) && env > 0 ? env : 1 << 20
}

async function readAt(fh: FileHandle, start: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length)
  let got = 0
  while (got < length) {
    const {bytesRead} = await fh.read(out, got, length - got, start + got)
    if (bytesRead === 0) throw new ParquetDataError('file ends inside a column chunk')
    got += bytesRead
  }
  return out
}

async function sha256Of(path: string): Promise<string> {
  const h = createHash('sha256')
  for await (const c of createReadStream(path)) h.update(c as Buffer)
  return h.digest('hex')
}

/**
 * Read the requested columns of a Parquet file into the same typed columns, with the same column
 * flags, defaults and errors as the CSV reader. Only the requested columns are read. The line
 * number of an error is the 1-based row number; a NULL is the CSV reader's empty field. Needs
 * the optional packages hyparquet and hyparquet-compressors (a usage error says how to add them).
 *
 * 1. read the footer (hyparquet parses it) and resolve the requested columns against the schema
 * 2. plan: flat columns of plain types (and INT32 / INT64 decimals) go the fast way
 *    (parquet-decode.ts, straight into the typed arrays); nested columns and other converted
 *    types (dates, timestamps, INT96, ...) through hyparquet
 * 3. row group by row group: read each fast column's chunk, split it into pages, decompress them
 *    in batches (in this thread, or worker threads with RECEVAL_PARQUET_THREADS, parquet-pool.ts)
 *    and decode them into the builders; a chunk with a page outside the fast path (DELTA_*,
 *    BYTE_STREAM_SPLIT, ...) and the slow columns are decoded by hyparquet for that row group and
 *    typed by the builders' rules. At most two row groups' chunks and two page batches per
 *    column are in memory at a time.
 * 4. the first problem row (its first FATAL column, else its first bad one) fails with row and
 *    column, or, with `dropInvalid`, invalid rows are dropped
 */
export async function readParquet(path: string, requests: readonly ColumnRequest[], opts: ReadOptions = {}): Promise<ReadResult> {
  if (path === '-') throw new UsageError('Parquet cannot be read from stdin: it needs random access; give the file name')
  // the second reading thread, started first for a file that may be large enough (16 MiB): it
  // starts up while hyparquet loads and the footer is read
  const splitAllowed = opts.threads !== 1 && process.env.RECEVAL_THREADS !== '1' && process.env.RECEVAL_PARQUET_SPLIT !== '0' && decompressionThreads() === 0
  let spare = splitAllowed && fileBytes(path) >= 16 << 20 ? spawnSplitWorker() : undefined
  let h: Hyparquet
  // hyparquet-compressors, loaded when a codec or the slow path needs it
  let compressors: Codecs | undefined
  let fh: FileHandle
  try {
    h = await loadReader()
    fh = await open(path, 'r')
  } catch (e) {
    await spare?.terminate()
    const code = (e as NodeJS.ErrnoException).code
    if (e instanceof UsageError || code === undefined) throw e
    throw new InputError({file: path}, code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot open (${code})`)
  }
  let codecs: Codecs
  let inflater: Inflater | undefined
  let splitThread: ReturnType<typeof startSplit> | undefined
  let splitKeys: SplitResult['keys']
  // the row groups being prepared ahead (settled before the file is closed)
  const inFlight: Promise<unknown>[] = []
  try {
    // 1.
    const st = await fh.stat()
    if (st.isDirectory()) throw new InputError({file: path}, 'is a directory, not a file')
    const size = st.size
    if (size === 0) throw new InputError({file: path}, 'file is empty')
    const unreadable = (why: string) => new InputError({file: path}, `not a readable Parquet file (${why})`)
    if (size < 12) throw unreadable('too short')
    const tail = await readAt(fh, size - 8, 8)
    if (tail[4] !== 0x50 || tail[5] !== 0x41 || tail[6] !== 0x52 || tail[7] !== 0x31) throw unreadable('no PAR1 footer magic')
    const metaLength = (tail[0] | (tail[1] << 8) | (tail[2] << 16) | (tail[3] << 24)) >>> 0
    if (metaLength + 12 > size) throw unreadable(`footer length ${metaLength} exceeds the file`)
    const footer = await readAt(fh, size - 8 - metaLength, metaLength + 8)
    let metadata: {num_rows: bigint | number; row_groups: GroupMeta[]}
    let top: SchemaNode[]
    try {
      metadata = h.parquetMetadata(footer.buffer as ArrayBuffer) as typeof metadata
      top = h.parquetSchema(metadata).children
    } catch (e) {
      throw unreadable((e as Error).message)
    }
    const header = top.map((c) => c.element.name)
    const names = resolveColumns(path, header, requests)
    ;({codecs, compressors} = await codecsFor(metadata.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec))))
    const builders = buildersFor(requests, names)
    const wanted = [...builders.keys()]
    const total = Number(metadata.num_rows)
    // large columns in shared memory, as the two-thread CSV reader leaves them: the metrics then
    // run on a compute thread without a copy (src/metrics/parallel.ts, from 2^20 rows)
    const large = total >= splitMinRows()
    for (const b of builders.values()) b.grow(Math.max(total, 1), large)
    // shared too: with two reading threads both raise it
    const status = large ? new Uint8Array(new SharedArrayBuffer(total)) : new Uint8Array(total)
    const threshold = opts.dropInvalid ? FATAL : INVALID
    // each column's first bad row (the columns of a row group may be typed by two threads)
    const firsts = new Map<string, FirstBad>()
    const note = (name: string) => (f: FirstBad) => {
      const prev = firsts.get(name)
      if (prev === undefined || f.row < prev.row) firsts.set(name, f)
    }

    // 2.
    const fast = new Map<string, ColumnDecoder>()
    parquetReadStats.fast = 0
    parquetReadStats.slow = 0
    parquetReadStats.split = 0
    parquetReadStats.splitKeys = ''
    for (const name of process.env.RECEVAL_PARQUET_SLOW === '1' ? [] : wanted) {
      const node = top.find((c) => c.element.name === name) as SchemaNode
      const leaf: Leaf | undefined = node.children.length === 0 ? fastLeaf(node.element as unknown as SchemaElementLike) : undefined
      if (leaf) fast.set(name, new ColumnDecoder(builders.get(name) as Builder, leaf, status, threshold))
    }
    const chunkOf = (g: GroupMeta, name: string) => g.columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === name)?.meta_data
    /** where a column chunk's bytes start (its dictionary page, if any, comes first) */
    const chunkStart = (m: NonNullable<ReturnType<typeof chunkOf>>) => {
      const dictAt = Number(m.dictionary_page_offset ?? 0)
      const dataAt = Number(m.data_page_offset)
      return dictAt > 0 && dictAt < dataAt ? dictAt : dataAt
    }
    let fastBytes = 0
    for (const g of metadata.row_groups) for (const name of fast.keys()) fastBytes += Number(chunkOf(g, name)?.total_compressed_size ?? 0)
    const workers = opts.threads === 1 ? 0 : decompressionThreads()
    const inf = workers > 0 && fastBytes >= poolThreshold() ? poolInflater(workers) : inlineInflater()
    parquetReadStats.threads = workers > 0 && fastBytes >= poolThreshold() ? workers : 0
    inflater = inf
    const corruptError = (name: string, g: number, message: string) => new InputError({file: path, column: name}, `corrupt Parquet data in row group ${g + 1} (${message})`)
    const corrupt = (name: string, g: number, e: unknown): never => {
      if (e instanceof ParquetDataError) throw corruptError(name, g, e.message)
      throw e
    }
    const groups = metadata.row_groups
    const starts: number[] = []
    for (let gi = 0, at = 0; gi < groups.length; at += Number(groups[gi].num_rows), gi++) starts.push(at)

    // 2b. a second reading thread (parquet-split.ts) for the number and label columns of a large
    // file: it claims row groups from the last one while this thread claims them from the first
    const splitNames = new Set<string>()
    if (splitAllowed && workers === 0 && large && groups.length >= 2) {
      // key columns too when every column is on the fast path and none is a key list (then only
      // the second thread flags its rows, so it knows whether their keys may get ids), and no two
      // key columns share a dictionary (their ids would interleave in another order)
      const keyDicts = [...builders.values()].flatMap((b) => (b instanceof KeyBuilder ? [b.dict] : []))
      const keysToo = fast.size === wanted.length && ![...builders.values()].some((b) => b instanceof KeyListBuilder) && new Set(keyDicts).size === keyDicts.length
      for (const [name, dec] of fast) if (dec.builder instanceof FloatBuilder || dec.builder instanceof LabelBuilder || (keysToo && dec.builder instanceof KeyBuilder)) splitNames.add(name)
    }
    const claims = splitNames.size > 0 ? new Int32Array(new SharedArrayBuffer(4 * (groups.length + 1))) : undefined
    // row groups whose number and label columns the second thread decodes
    const theirs = new Uint8Array(groups.length)
    let split: ReturnType<typeof startSplit> | undefined
    if (claims) {
      const columns: SplitColumn[] = [...splitNames].map((name) => {
        const dec = fast.get(name) as ColumnDecoder
        const b = dec.builder as FloatBuilder | LabelBuilder | KeyBuilder
        return {name, kind: b.kind as SplitColumn['kind'], nonNegative: b instanceof FloatBuilder && b.nonNegative, leaf: dec.leaf, buffer: b.data.buffer as unknown as SharedArrayBuffer}
      })
      split = startSplit(spare ?? spawnSplitWorker(), {
        path,
        rows: total,
        threshold,
        status: status.buffer as SharedArrayBuffer,
        claims: claims.buffer as SharedArrayBuffer,
        columns,
        groups: groups.map((g, gi) => ({
          rowStart: starts[gi],
          rows: Number(g.num_rows),
          chunks: columns.map((c) => {
            const m = chunkOf(g, c.name)
            return m ? {start: chunkStart(m), length: Number(m.total_compressed_size), codec: m.codec} : null
          }),
        })),
      })
      splitThread = split
      spare = undefined
    }

    // 3.
    const file = {byteLength: size, slice: async (s: number, e?: number) => (await readAt(fh, s, (e ?? size) - s)).buffer as ArrayBuffer}
    const prepare = async (gi: number): Promise<Map<string, Prepared>> => {
      const g = metadata.row_groups[gi]
      const out = new Map<string, Prepared>()
      if (claims && !claimForMain(claims, gi)) theirs[gi] = 1
      const wantedChunks = [...fast].flatMap(([name, dec]) => {
        if (theirs[gi] && splitNames.has(name)) return []
        const m = chunkOf(g, name)
        const codec = m ? codecs[m.codec] : undefined
        if (!m || !codec) return []
        return [{name, dec, m, codec, start: chunkStart(m)}]
      })
      // the group's chunks are read together (one round trip to the thread pool, not one per column)
      const chunks = await Promise.all(wantedChunks.map((c) => readAt(fh, c.start, Number(c.m.total_compressed_size)).catch((e: unknown) => corrupt(c.name, gi, e))))
      wantedChunks.forEach(({name, dec, m, codec}, k) => {
        const chunk = chunks[k]
        let pages: PageRef[] | null
        try {
          pages = scanChunk(chunk, dec.leaf)
        } catch (e) {
          return corrupt(name, gi, e)
        }
        if (pages === null) return
        const batches = batchesOf(chunk, pages)
        const inflate = (k: number) => {
          const data = inf.inflate(m.codec, codec, batches[k].bytes, batches[k].pages)
          data.catch(() => undefined)
          return data
        }
        out.set(name, {name, batches, inflate, first: inflate(0)})
      })
      return out
    }
    let groupStart = 0
    // the next groups' chunks are read and decompressed while this one is decoded: one group ahead
    // in this thread, enough to keep the worker threads busy (up to 32 MiB of compressed chunks)
    const queue: Promise<Map<string, Prepared>>[] = []
    let queued = 0
    let queuedBytes = 0
    const groupBytes = (gi: number) => [...fast.keys()].reduce((t, name) => t + Number(chunkOf(groups[gi], name)?.total_compressed_size ?? 0), 0)
    const refill = (from: number) => {
      while (queued < groups.length && queued <= from + (workers > 0 ? 2 * workers : 1) && (queued <= from + 1 || queuedBytes + groupBytes(queued) <= 32 << 20)) {
        const p = prepare(queued)
        p.catch(() => undefined)
        queue.push(p)
        queuedBytes += groupBytes(queued)
        inFlight.push(p)
        queued++
      }
    }
    /** Read `slow` columns of row group gi with hyparquet and type them by the builders' rules. */
    const readSlow = async (gi: number, slow: string[]) => {
      const groupStart = starts[gi]
      const n = Number(groups[gi].num_rows)
      parquetReadStats.slow += slow.length
      if (slow.length === 0 || n === 0) return
      const got = new Map<string, {rowStart: number; data: ArrayLike<unknown>}[]>(slow.map((s) => [s, []]))
      try {
        compressors ??= await loadCompressors()
        await h.parquetRead({file, metadata, columns: slow, compressors, utf8: true, rowStart: groupStart, rowEnd: groupStart + n, onChunk: (c) => got.get(c.columnName)?.push({rowStart: c.rowStart, data: c.columnData})})
      } catch (e) {
        throw new InputError({file: path}, `corrupt or unsupported Parquet data (${(e as Error).message})`)
      }
      for (const [name, chunks] of got) {
        const b = builders.get(name) as Builder
        const el = (top.find((c) => c.element.name === name) as SchemaNode).element as unknown as SchemaElementLike
        const scale = el.converted_type === 'DECIMAL' || el.logical_type?.type === 'DECIMAL' ? (el.scale ?? el.logical_type?.scale ?? 0) : 0
        const text = b instanceof KeyBuilder || b instanceof KeyListBuilder
        const seen = new Uint8Array(n)
        for (const c of chunks.sort((x, y) => x.rowStart - y.rowStart)) {
          const s = Math.max(c.rowStart, groupStart)
          const e = Math.min(c.rowStart + c.data.length, groupStart + n)
          if (e <= s) continue
          let d = c.rowStart === s && c.data.length === e - s ? c.data : Array.prototype.slice.call(c.data, s - c.rowStart, e - c.rowStart)
          if (scale > 0) d = Array.from(d, (v) => exactDecimal(v, scale, text))
          typeValues(b, s, d, status, threshold, note(name))
          seen.fill(1, s - groupStart, e - groupStart)
        }
        // rows hyparquet did not deliver are empty fields
        for (let k = 0; k < n; k++) if (!seen[k]) typeValues(b, groupStart + k, [null], status, threshold, note(name))
      }
    }
    // with the second thread, an error stops this thread's loop and is held: which error a read
    // reports is decided when both threads are done, as one thread reading in order would
    const splitKeyBuilders = [...splitNames].flatMap((name) => {
      const b = builders.get(name)
      return b instanceof KeyBuilder ? [b] : []
    })
    let settledTo = 0
    let failure: {group: number; error: InputError} | undefined
    let stoppedAt = -1
    for (let gi = 0; gi < groups.length; gi++) {
      const n = Number(groups[gi].num_rows)
      try {
        refill(gi)
        const ready = await (queue.shift() as Promise<Map<string, Prepared>>)
        queuedBytes -= groupBytes(gi)
        refill(gi)
        const slow = wanted.filter((name) => !ready.has(name) && !(theirs[gi] && splitNames.has(name)))
        for (const [name, p] of ready) {
          const dec = fast.get(name) as ColumnDecoder
          let row = groupStart
          try {
            dec.startChunk()
            let pending = p.first
            for (let k = 0; k < p.batches.length; k++) {
              const page = await pending
              if (k + 1 < p.batches.length) pending = p.inflate(k + 1)
              p.batches[k].pages.forEach((ref, i) => (row += dec.page(ref.header, page(i), row)))
            }
            if (row - groupStart !== n) throw new ParquetDataError(`the column chunk holds ${row - groupStart} values, the row group ${n} rows`)
          } catch (e) {
            corrupt(name, gi, e)
          }
          if (dec.first) note(name)(dec.first)
          parquetReadStats.fast++
        }
        await readSlow(gi, slow)
      } catch (e) {
        if (!split || !(e instanceof InputError)) throw e
        failure = {group: gi, error: e}
        break
      }
      groupStart += n
      // this thread's key rows take their ids group by group while the second thread decodes (its
      // groups come first, in order; not after a bad row, whose key must get no id before the row
      // is dropped), so the second thread's share of the groups grows by that much; when no row of
      // this thread is bad, all of them have their ids once its last group is decoded
      if (split && !theirs[gi] && settledTo === groupStart - n && !anyNonZero(status.subarray(settledTo, groupStart))) {
        for (const b of splitKeyBuilders) b.settle(groupStart)
        settledTo = groupStart
      }
      // nothing after the first problem row changes the outcome
      if (firsts.size > 0) {
        stoppedAt = gi
        break
      }
    }
    if (split) {
      // after an error in row group S, the later groups no longer matter
      if (failure || stoppedAt >= 0) split.limit(failure?.group ?? stoppedAt)
      const r = await split.result
      splitKeys = r.keys
      parquetReadStats.splitKeys = r.keys?.mode ?? ''
      // deferred key rows of the second thread: its handles made ours (before hyparquet fills the
      // chunks it left with ours); their ids are given in row order when the columns finish
      if (splitKeys?.mode === 'deferred') for (const [name, d] of splitKeys.columns) (builders.get(name) as KeyBuilder).adoptDeferred(d, splitKeys.from, total)
      parquetReadStats.split = r.groups
      parquetReadStats.fast += r.chunks
      for (const [name, f] of r.firsts) note(name)(f)
      const fails = failure ? [failure] : []
      if (r.corrupt) fails.push({group: r.corrupt.group, error: corruptError(r.corrupt.name, r.corrupt.group, r.corrupt.message)})
      // chunks the second thread left to hyparquet, in row group order
      const left = new Map<number, string[]>()
      for (const [gi, name] of r.slow) left.set(gi, [...(left.get(gi) ?? []), name])
      for (const gi of [...left.keys()].sort((a, b) => a - b)) {
        try {
          await readSlow(gi, left.get(gi) as string[])
        } catch (e) {
          if (!(e instanceof InputError)) throw e
          fails.push({group: gi, error: e})
          break
        }
      }
      // as one thread reading in order: the first row group with corrupt data or a bad row, and in
      // that group the corrupt data (it stops the read before the group's rows are checked)
      const firstRow = Math.min(...[...firsts.values()].map((f) => f.row))
      let rowGroup = Infinity
      if (firstRow < Infinity) for (let gi = 0; gi < groups.length && starts[gi] <= firstRow; gi++) rowGroup = gi
      const fail = fails.sort((a, b) => a.group - b.group)[0]
      if (fail && fail.group <= rowGroup) throw fail.error
    }
    if (groupStart !== total && firsts.size === 0) throw new InputError({file: path}, `corrupt Parquet footer: the row groups hold ${groupStart} rows, the file says ${total}`)

    // 4.
    if (firsts.size > 0) {
      const stop = Math.min(...[...firsts.values()].map((f) => f.row))
      const atStop = wanted.flatMap((name) => {
        const f = firsts.get(name)
        return f && f.row === stop ? [{name, f}] : []
      })
      const {name, f} = atStop.find((x) => x.f.code === FATAL) ?? atStop[0]
      const b = builders.get(name) as Builder
      const what = f.text === null ? `NULL where ${NEEDED[b.kind]} is needed` : b.reason(f.text)
      throw new InputError({file: path, line: stop + 1, column: name}, what + (opts.dropInvalid || f.code === FATAL ? '' : ' (--drop-invalid skips such rows)'))
    }
    let rows = total
    let dropped = 0
    let before = splitKeys?.from ?? 0
    if (anyNonZero(status)) {
      for (let i = 0; i < (splitKeys?.from ?? 0); i++) if (status[i] !== OK) before--
      rows = compact(builders.values(), status, total)
      dropped = total - rows
    }
    // ... or ids of the second thread's dictionary (its rows were all kept): this thread's rows
    // take their ids first, then the second thread's keys in its order, as the CSV halves are joined
    if (splitKeys?.mode === 'settled') {
      for (const [name, d] of splitKeys.columns) {
        const b = builders.get(name) as KeyBuilder
        b.settle(before)
        const trans = b.dict.absorb(d)
        const data = b.data
        for (let i = before; i < rows; i++) data[i] = trans[data[i]]
        b.markSettled(rows)
      }
    }
    if (rows === 0) throw new InputError({file: path}, dropped > 0 ? `all ${dropped} data rows were dropped as invalid` : 'no data rows')
    const out = new Map<string, Column>()
    for (const [name, b] of builders) out.set(name, b.finish(rows))
    const sha256 = opts.hash ? await sha256Of(path) : undefined
    return {table: {source: {path, format: 'parquet', bytes: size, mtime: st.mtime.toISOString(), sha256}, header, rows, dropped, columns: out}, names}
  } finally {
    splitThread?.limit(-1)
    await Promise.allSettled(inFlight)
    await splitThread?.terminate()
    await spare?.terminate()
    await inflater?.close()
    await fh.close()
  }
}
