/**
 * Page decompression for the Parquet reader: in this thread, or (RECEVAL_PARQUET_THREADS, large
 * files) spread over worker threads. The pages of one column chunk travel
 * together: the chunk's bytes are transferred to a worker (no copy) and its decompressed pages
 * come back as transferred buffers; the caller keeps at most two row groups in flight.
 */
import {Worker} from 'node:worker_threads'
import type {Decompress} from './parquet-codec.js'
import type {PageData, PageRef} from './parquet-decode.js'
import {ParquetDataError} from './parquet-levels.js'
import {DATA_PAGE_V2, DICTIONARY_PAGE} from './parquet-thrift.js'

export interface Inflater {
  /**
   * The pages of a chunk (`codec` is the decompressor of codec `codecName`): page i decompressed
   * is get(i), to be decoded before get(i + 1) is asked for (this thread reuses one buffer).
   */
  inflate(codecName: string, codec: Decompress, chunk: Uint8Array, pages: PageRef[]): Promise<(i: number) => PageData>
  close(): Promise<void>
}

/** One page's job: its compressed bytes in the chunk and its decompressed size (v2: the values only). */
export interface PageJob {
  start: number
  end: number
  size: number
  /** v2 pages with is_compressed false: the bytes are taken as they are */
  raw: boolean
}

export interface InflateRequest {
  id: number
  codec: string
  chunk: Uint8Array
  jobs: PageJob[]
}

export type InflateReply = {id: number; ok: true; pages: Uint8Array[]} | {id: number; ok: false; message: string; data: boolean}

/** Split each page into its uncompressed levels (data page v2) and its compressed part. */
function jobsOf(chunk: Uint8Array, pages: PageRef[], copyLevels: boolean): {jobs: PageJob[]; levels: (Uint8Array | undefined)[]} {
  const jobs: PageJob[] = []
  const levels: (Uint8Array | undefined)[] = []
  for (const p of pages) {
    const h = p.header
    if (h.type === DATA_PAGE_V2) {
      const lv = h.repLength + h.defLength
      if (lv > p.end - p.start || lv > h.uncompressedSize) throw new ParquetDataError('page levels are longer than the page')
      levels.push(copyLevels ? chunk.slice(p.start, p.start + lv) : chunk.subarray(p.start, p.start + lv))
      jobs.push({start: p.start + lv, end: p.end, size: h.uncompressedSize - lv, raw: !h.compressed})
    } else {
      levels.push(undefined)
      jobs.push({start: p.start, end: p.end, size: h.uncompressedSize, raw: false})
    }
  }
  return {jobs, levels}
}

/** Run one page's job with `codec` (into `out` when the codec can). */
function runJob(codec: Decompress, chunk: Uint8Array, j: PageJob, out?: Uint8Array): Uint8Array {
  const body = chunk.subarray(j.start, j.end)
  if (j.raw) {
    if (body.length !== j.size) throw new ParquetDataError(`page holds ${body.length} bytes, its header says ${j.size}`)
    return body
  }
  return codec(body, j.size, out)
}

/** Run the jobs of a chunk with `codec`. */
export function runJobs(codec: Decompress, chunk: Uint8Array, jobs: PageJob[]): Uint8Array[] {
  return jobs.map((j) => runJob(codec, chunk, j))
}

/**
 * Decompress in this thread, each page when it is decoded: data pages into one reused buffer
 * (cache-warm, no new memory per page), dictionary pages (kept for their chunk) into their own.
 */
export function inlineInflater(): Inflater {
  let scratch = new Uint8Array(0)
  return {
    inflate: async (_name, codec, chunk, pages) => {
      const {jobs, levels} = jobsOf(chunk, pages, false)
      return (i) => {
        const j = jobs[i]
        let out: Uint8Array | undefined
        if (pages[i].header.type !== DICTIONARY_PAGE && !j.raw) {
          if (scratch.length < j.size) scratch = new Uint8Array(Math.max(j.size, 2 * scratch.length))
          out = scratch
        }
        return {levels: levels[i], data: runJob(codec, chunk, j, out)}
      }
    },
    close: async () => undefined,
  }
}

/** Decompress in `n` worker threads; uncompressed chunks stay in this thread. */
export function poolInflater(n: number): Inflater {
  const workers: {w: Worker; load: number}[] = []
  const waiting = new Map<number, {resolve: (pages: Uint8Array[]) => void; reject: (e: Error) => void; worker: {load: number}; bytes: number}>()
  let nextId = 0
  let failed: Error | undefined
  const fail = (e: Error) => {
    failed ??= e
    for (const w of waiting.values()) w.reject(e)
    waiting.clear()
  }
  const spawn = () => {
    const w = new Worker(new URL('./parquet-worker.js', import.meta.url))
    const slot = {w, load: 0}
    w.on('message', (r: InflateReply) => {
      const job = waiting.get(r.id)
      if (!job) return
      waiting.delete(r.id)
      job.worker.load -= job.bytes
      if (r.ok) job.resolve(r.pages)
      else job.reject(r.data ? new ParquetDataError(r.message) : new Error(`Parquet decompression thread failed: ${r.message}`))
    })
    w.on('error', (e) => fail(new Error(`Parquet decompression thread failed: ${e.message}`)))
    workers.push(slot)
    return slot
  }
  const inline = inlineInflater()
  return {
    inflate(name, codec, chunk, pages) {
      if (name === 'UNCOMPRESSED') return inline.inflate(name, codec, chunk, pages)
      if (failed) return Promise.reject(failed)
      const {jobs, levels} = jobsOf(chunk, pages, true)
      // the bytes travel to the worker (transferred): a view of a larger buffer is copied first
      if (chunk.byteOffset !== 0 || chunk.byteLength !== chunk.buffer.byteLength) chunk = chunk.slice()
      const slot = workers.length < n ? spawn() : workers.reduce((a, b) => (b.load < a.load ? b : a))
      const id = nextId++
      const bytes = chunk.length
      slot.load += bytes
      const reply = new Promise<Uint8Array[]>((resolve, reject) => waiting.set(id, {resolve, reject, worker: slot, bytes}))
      const req: InflateRequest = {id, codec: name, chunk, jobs}
      slot.w.postMessage(req, [chunk.buffer as ArrayBuffer])
      return reply.then((out) => (i: number) => ({levels: levels[i], data: out[i]}))
    },
    async close() {
      await Promise.all(workers.map((s) => s.w.terminate()))
    },
  }
}
