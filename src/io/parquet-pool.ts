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
import {DATA_PAGE_V2} from './parquet-thrift.js'

export interface Inflater {
  /** The decompressed pages of a chunk (`codec` is the decompressor of codec `codecName`). */
  inflate(codecName: string, codec: Decompress, chunk: Uint8Array, pages: PageRef[]): Promise<PageData[]>
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
function jobsOf(chunk: Uint8Array, pages: PageRef[]): {jobs: PageJob[]; levels: (Uint8Array | undefined)[]} {
  const jobs: PageJob[] = []
  const levels: (Uint8Array | undefined)[] = []
  for (const p of pages) {
    const h = p.header
    if (h.type === DATA_PAGE_V2) {
      const lv = h.repLength + h.defLength
      if (lv > p.end - p.start || lv > h.uncompressedSize) throw new ParquetDataError('page levels are longer than the page')
      levels.push(chunk.slice(p.start, p.start + lv))
      jobs.push({start: p.start + lv, end: p.end, size: h.uncompressedSize - lv, raw: !h.compressed})
    } else {
      levels.push(undefined)
      jobs.push({start: p.start, end: p.end, size: h.uncompressedSize, raw: false})
    }
  }
  return {jobs, levels}
}

/** Run the jobs of a chunk with `codec`. */
export function runJobs(codec: Decompress, chunk: Uint8Array, jobs: PageJob[]): Uint8Array[] {
  return jobs.map((j) => {
    const body = chunk.subarray(j.start, j.end)
    if (j.raw) {
      if (body.length !== j.size) throw new ParquetDataError(`page holds ${body.length} bytes, its header says ${j.size}`)
      return body
    }
    return codec(body, j.size)
  })
}

/** Decompress in this thread. */
export function inlineInflater(): Inflater {
  return {
    inflate: async (_name, codec, chunk, pages) => {
      const {jobs, levels} = jobsOf(chunk, pages)
      return runJobs(codec, chunk, jobs).map((data, k) => ({levels: levels[k], data}))
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
      const {jobs, levels} = jobsOf(chunk, pages)
      // the bytes travel to the worker (transferred): a view of a larger buffer is copied first
      if (chunk.byteOffset !== 0 || chunk.byteLength !== chunk.buffer.byteLength) chunk = chunk.slice()
      const slot = workers.length < n ? spawn() : workers.reduce((a, b) => (b.load < a.load ? b : a))
      const id = nextId++
      const bytes = chunk.length
      slot.load += bytes
      const reply = new Promise<Uint8Array[]>((resolve, reject) => waiting.set(id, {resolve, reject, worker: slot, bytes}))
      const req: InflateRequest = {id, codec: name, chunk, jobs}
      slot.w.postMessage(req, [chunk.buffer as ArrayBuffer])
      return reply.then((out) => out.map((data, k) => ({levels: levels[k], data})))
    },
    async close() {
      await Promise.all(workers.map((s) => s.w.terminate()))
    },
  }
}
