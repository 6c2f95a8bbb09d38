import {openSync, readSync, closeSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {Worker} from 'node:worker_threads'
import {InputError} from '../cli/errors.js'
import {ArrayBuilder, ArrayKind, Builder, ColumnArray, FloatBuilder, KeyBuilder, KeyListBuilder, LabelBuilder, sharedView} from './builders.js'
import {FieldSpec, parseDelimitedRange, RangeResult, SharedSlice, WorkerError} from './range.js'
import {Column, ExportedDict} from './table.js'

/** Files smaller than this are read by one thread (a second one costs ~40 ms to start). */
export function parallelThreshold(): number {
  const env = Number(process.env.RECEVAL_PARALLEL_MIN)
  return Number.isFinite(env) && env > 0 ? env : 32 << 20
}

export function parallelAvailable(): boolean {
  return process.env.RECEVAL_THREADS !== '1' && availableParallelism() > 1
}

/** The offset just after the first LF at or after `from` (or `size` when there is none). */
function nextLineStart(path: string, from: number, size: number): number {
  const fd = openSync(path, 'r')
  try {
    const b = Buffer.alloc(1 << 16)
    for (let at = from; at < size; at += b.length) {
      const n = readSync(fd, b, 0, b.length, at)
      if (n <= 0) break
      const i = b.subarray(0, n).indexOf(10)
      if (i >= 0) return at + i + 1
    }
    return size
  } finally {
    closeSync(fd)
  }
}

interface WorkerReply {
  ok: boolean
  error?: WorkerError
  rows: number
  dropped: number
  endLine: number
  columns: Part[]
}

/** A column of the worker; `deferred`: a key column whose rows hold small integer keys, not ids. */
type Part = Column & {dict?: ExportedDict; inPlace?: boolean; deferred?: boolean}

/**
 * Join the worker's column to this thread's builder after its `rows` rows. Normally both halves
 * are already in one shared array (this thread's rows from 0, the worker's from slice.offset):
 * the gap between them is closed in place, so no column is ever held twice. When a half
 * outgrew its part (a poor row estimate), the halves are copied into a new array instead.
 */
function append(b: Builder, rows: number, c: Part, slice: SharedSlice | null): void {
  if (slice && c.inPlace && c.kind !== 'keylist' && b instanceof ArrayBuilder && b.data.buffer === slice.buffer && rows <= slice.offset) {
    const w = c.data.length
    const all = sharedView(c.kind, slice.buffer, 0, slice.offset + slice.length)
    if (b instanceof KeyBuilder) {
      b.settle(rows)
      b.adopt(all as Int32Array)
      joinKeys(b, rows, c, c.data as Int32Array, slice.offset)
    } else {
      all.copyWithin(rows, slice.offset, slice.offset + w)
      ;(b as ArrayBuilder<ColumnArray>).adopt(all)
    }
    return
  }
  const total = rows + (c.kind === 'keylist' ? c.offsets.length - 1 : c.data.length)
  if (b instanceof FloatBuilder && c.kind === 'float') {
    b.grow(total, true)
    b.data.set(c.data, rows)
  } else if (b instanceof LabelBuilder && c.kind === 'label') {
    b.grow(total, true)
    b.data.set(c.data, rows)
  } else if (b instanceof KeyBuilder && c.kind === 'key') {
    b.settle(rows)
    b.grow(total, true)
    joinKeys(b, rows, c, c.data)
  } else if (b instanceof KeyListBuilder && c.kind === 'keylist') {
    if (b.offsets.length < total + 1) b.grow(total)
    b.appendLists(rows, c.offsets, c.ids, b.dict.absorb(c.dict as ExportedDict))
  } else throw new Error('column kinds differ between threads')
}

/**
 * The worker's key rows into rows [rows, ...) of `b`, whose own rows already have their ids (so
 * ids keep first-appearance order): small integer keys (`deferred`) are moved there and take
 * their ids after this thread's; ids of the worker's dictionary are translated into this
 * thread's. `data`: the worker's column; `at`: where its rows are in b.data when they are there
 * already (in place).
 */
function joinKeys(b: KeyBuilder, rows: number, c: Part, data: Int32Array, at?: number): void {
  const out = b.data
  const w = data.length
  const src = at === undefined ? data : out.subarray(at, at + w)
  if (c.deferred) {
    if (at === undefined) out.set(src, rows)
    else out.copyWithin(rows, at, at + w)
    b.settle(rows + w)
  } else {
    const trans = b.dict.absorb(c.dict as ExportedDict)
    for (let i = 0; i < w; i++) out[rows + i] = trans[src[i]]
    b.markSettled(rows + w)
  }
}

export interface ParallelArgs {
  path: string
  display: string
  size: number
  bodyStart: number
  delim: number
  header: string[]
  fields: FieldSpec[]
  builders: Builder[]
  dropInvalid: boolean
  firstLine: number
  bytesPerRow: number
}

/**
 * Read a large delimited file with two threads: this one parses the first half, a worker the
 * second (split at a line start). Results are concatenated in file order; the worker's key ids
 * are remapped into this thread's dictionaries, so ids keep first-appearance order. Returns null
 * when the split fell inside a quoted field (the first half then ends in an open quote): the
 * caller reads the file with one thread instead.
 */
export async function readParallel(p: ParallelArgs): Promise<{rows: number; dropped: number; columns: Column[]} | null> {
  const mid = p.bodyStart + Math.floor((p.size - p.bodyStart) / 2)
  const split = nextLineStart(p.path, mid, p.size)
  if (split >= p.size || split <= p.bodyStart) return null
  const capacity = (n: number) => Math.ceil((n / Math.max(1, p.bytesPerRow)) * 1.02) + 1024
  const worker = new Worker(new URL('./worker.js', import.meta.url))
  const reply = new Promise<WorkerReply>((resolve) => {
    worker.once('message', resolve)
    worker.once('error', (e) => resolve({ok: false, error: {detail: e.message, input: false}, rows: 0, dropped: 0, endLine: 0, columns: []}))
  })
  // one shared array per column sized for the whole file: this thread fills it from row 0, the
  // worker from the estimated end of this thread's rows
  const mainCap = capacity(split - p.bodyStart)
  const workerCap = capacity(p.size - split)
  const slices = p.builders.map((b): SharedSlice | null => {
    if (!(b instanceof ArrayBuilder) || b.kind === 'keylist') return null
    const slice = {buffer: new SharedArrayBuffer((mainCap + workerCap) * (b.data as ColumnArray).BYTES_PER_ELEMENT), offset: mainCap, length: workerCap}
    ;(b as ArrayBuilder<ColumnArray>).adopt(sharedView(b.kind as ArrayKind, slice.buffer, 0, mainCap))
    return slice
  })
  worker.postMessage({path: p.path, display: p.display, start: split, end: p.size, delim: p.delim, header: p.header, fields: p.fields, dropInvalid: p.dropInvalid, firstLine: 1, capacity: workerCap, shared: slices})
  let first: RangeResult
  try {
    // this thread writes its half into the front of the shared arrays (or private ones if it outgrows them)
    first = await parseDelimitedRange({path: p.path, display: p.display, start: p.bodyStart, end: split, delim: p.delim, header: p.header, fields: p.fields, dropInvalid: p.dropInvalid, firstLine: p.firstLine, capacity: mainCap}, p.builders, false)
  } catch (e) {
    await worker.terminate()
    if (e instanceof InputError && e.detail.startsWith('unterminated quoted field')) return null
    throw e
  }
  // this thread's keys take their ids (first-appearance order) while the worker may still be parsing
  for (const b of p.builders) if (b instanceof KeyBuilder) b.settle(first.rows)
  const second = await reply
  await worker.terminate()
  if (!second.ok) {
    const err = second.error as WorkerError
    if (!err.input) throw new Error(`reader thread failed: ${err.detail}`)
    throw new InputError({file: p.display, line: err.line !== undefined ? first.endLine + err.line - 1 : undefined, column: err.column}, err.detail)
  }
  const parts = second.columns as (Part | undefined)[]
  p.builders.forEach((b, i) => {
    append(b, first.rows, parts[i] as Part, slices[i])
    parts[i] = undefined // a copied half can be collected now
  })
  const rows = first.rows + second.rows
  return {rows, dropped: first.dropped + second.dropped, columns: p.builders.map((b) => b.finish(rows))}
}
