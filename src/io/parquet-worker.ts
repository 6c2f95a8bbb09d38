/**
 * A Parquet decompression thread: decompresses the pages of the column chunks it is sent and
 * transfers the pages back (no copy).
 */
import {parentPort} from 'node:worker_threads'
import {Codecs, codecsFor} from './parquet-codec.js'
import {ParquetDataError} from './parquet-levels.js'
import {InflateReply, InflateRequest, runJobs} from './parquet-pool.js'

// each codec with only what it needs (hyparquet-compressors for snappy and lz4 only)
const ready = new Map<string, Promise<Codecs>>()
async function codecFor(name: string) {
  let codecs = ready.get(name)
  if (!codecs) ready.set(name, (codecs = codecsFor([name]).then((r) => r.codecs)))
  return (await codecs)[name]
}

parentPort?.on('message', async (r: InflateRequest) => {
  let reply: InflateReply
  let transfer: ArrayBuffer[] = []
  try {
    const codec = await codecFor(r.codec)
    if (!codec) throw new ParquetDataError(`no decompressor for ${r.codec}`)
    const pages = runJobs(codec, r.chunk, r.jobs)
    // a page that is a view of the chunk (or of a shared pool buffer) is copied once, not transferred
    const own = pages.map((p) => (p.byteOffset === 0 && p.byteLength === p.buffer.byteLength ? p : p.slice()))
    transfer = own.map((p) => p.buffer as ArrayBuffer)
    reply = {id: r.id, ok: true, pages: own}
  } catch (e) {
    reply = {id: r.id, ok: false, message: (e as Error).message, data: e instanceof ParquetDataError}
  }
  parentPort?.postMessage(reply, transfer)
})
