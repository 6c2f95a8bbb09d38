/**
 * The second Parquet reading thread. Row groups are shared out between the two threads through a
 * claim array in shared memory: the reading thread claims them from the first, this thread from
 * the last, until they meet (so the split follows what each thread gets done, not a guess); the
 * last row group is the worker's from the start. For
 * the groups it claims, the worker decodes the number and label columns (never keys: their ids
 * are given in row order by the reading thread) straight into the shared column arrays at the
 * group's rows, and raises the shared row status; rows are where the row group says, so nothing is
 * copied or joined afterwards.
 *
 * The worker stops after the first row group in which it meets a bad value or corrupt data (it
 * walks backwards, so the earlier groups are then the reading thread's). When the reading thread
 * meets one in row group S, it sets a limit: the worker leaves the groups after S (they cannot
 * change which error is reported) but still decodes its groups up to S. A chunk outside the fast
 * path is handed back for the reading thread to read with hyparquet.
 */
import {Worker} from 'node:worker_threads'
import type {FirstBad, Leaf} from './parquet-decode.js'
import type {ExportedDict} from './table.js'

/** One column the worker decodes: its builder's spec and the shared array it writes into. */
export interface SplitColumn {
  name: string
  kind: 'float' | 'label' | 'key'
  nonNegative: boolean
  leaf: Leaf
  buffer: SharedArrayBuffer
}

/** A column chunk of a row group: where its bytes are and its codec (null: not on the fast path). */
export interface SplitChunk {
  start: number
  length: number
  codec: string
}

export interface SplitJob {
  path: string
  rows: number
  threshold: number
  /** the row status (shared with the reading thread) */
  status: SharedArrayBuffer
  /** claims[g]: 0 free, 1 the reading thread's, 2 the worker's; claims[groups]: 0, or 2 + the last group still to decode */
  claims: SharedArrayBuffer
  columns: SplitColumn[]
  /** per row group: its first row, its rows and each column's chunk */
  groups: {rowStart: number; rows: number; chunks: (SplitChunk | null)[]}[]
}

export interface SplitResult {
  /** each column's first bad row in the worker's groups */
  firsts: [string, FirstBad][]
  /** chunks the reading thread must read with hyparquet: [row group, column name] */
  slow: [number, string][]
  /** corrupt data: the row group, the column and the message */
  corrupt?: {group: number; name: string; message: string}
  /** column chunks decoded */
  chunks: number
  /** row groups the worker claimed */
  groups: number
  /**
   * Key columns: the worker's rows are [from, rows). 'settled': they hold ids of the worker's own
   * dictionary of each column (`dict`, to be absorbed after this thread's rows have their ids);
   * 'deferred' (some of its rows are bad, so their keys must not get ids yet, or a chunk was left
   * to hyparquet): they hold deferred values whose handles are `dict`.
   */
  keys?: {mode: 'settled' | 'deferred'; from: number; columns: [string, ExportedDict][]}
}

export const MAIN = 1
export const WORKER = 2

/** Claim row group `g` for the reading thread; false when the worker has it. */
export function claimForMain(claims: Int32Array, g: number): boolean {
  const prev = Atomics.compareExchange(claims, g, 0, MAIN)
  return prev === 0 || prev === MAIN
}

/** A thread started before the footer is read (its start-up overlaps the reading of the footer). */
export function spawnSplitWorker(): Worker {
  const w = new Worker(new URL('./parquet-split-worker.js', import.meta.url))
  w.unref()
  return w
}

/**
 * Start the worker `w` on `job` (the last row group is claimed for it here); `limit(S)` tells it
 * that row groups after S no longer matter, `result` is its reply.
 */
export function startSplit(w: Worker, job: SplitJob): {result: Promise<SplitResult>; limit(group: number): void; terminate(): Promise<number>} {
  w.ref()
  const claims = new Int32Array(job.claims)
  Atomics.store(claims, job.groups.length - 1, WORKER)
  const result = new Promise<SplitResult>((resolve, reject) => {
    w.once('message', (r: {ok: true; result: SplitResult} | {ok: false; message: string}) => (r.ok ? resolve(r.result) : reject(new Error(`Parquet reading thread failed: ${r.message}`))))
    w.once('error', (e) => reject(new Error(`Parquet reading thread failed: ${e.message}`)))
    w.once('exit', (code) => reject(new Error(`Parquet reading thread exited (${code})`)))
  })
  result.catch(() => undefined)
  w.postMessage(job)
  return {
    result,
    limit: (group) => Atomics.store(claims, job.groups.length, group + 2),
    terminate: () => w.terminate(),
  }
}
