/**
 * The second Parquet reading thread (see parquet-split.ts): claims row groups from the last one
 * backwards and decodes their number and label columns into the shared column arrays.
 */
import {closeSync, openSync, readSync} from 'node:fs'
import {parentPort} from 'node:worker_threads'
import {ArrayBuilder, ColumnArray, KeyBuilder, makeBuilder, sharedView} from './builders.js'
import {codecsFor, loadZstd} from './parquet-codec.js'
import {anyNonZero, ColumnDecoder, FirstBad, ParquetDataError, scanChunk} from './parquet-decode.js'
import {inlineInflater} from './parquet-pool.js'
import {SplitJob, SplitResult, WORKER} from './parquet-split.js'

// set up while the reading thread parses the footer (zstd files are the ones that need it most;
// codecsFor below waits for the same set-up)
void loadZstd()

function readChunk(fd: number, start: number, length: number): Uint8Array {
  const out = new Uint8Array(length)
  let got = 0
  while (got < length) {
    const n = readSync(fd, out, got, length - got, start + got)
    if (n === 0) throw new ParquetDataError('file ends inside a column chunk')
    got += n
  }
  return out
}

async function run(job: SplitJob): Promise<SplitResult> {
  const G = job.groups.length
  const claims = new Int32Array(job.claims)
  const status = new Uint8Array(job.status)
  const decs = job.columns.map((c) => {
    const b = makeBuilder({kind: c.kind, nonNegative: c.nonNegative}, c.name) as ArrayBuilder<ColumnArray>
    b.adopt(sharedView(c.kind, c.buffer, 0, job.rows))
    return new ColumnDecoder(b, c.leaf, status, job.threshold)
  })
  const {codecs} = await codecsFor(job.groups.flatMap((g) => g.chunks.map((c) => c?.codec)))
  const inf = inlineInflater()
  const out: SplitResult = {firsts: [], slow: [], chunks: 0, groups: 0}
  let lowest = G
  const fd = openSync(job.path, 'r')
  try {
    for (let gi = G - 1; gi >= 0; gi--) {
      const limit = Atomics.load(claims, G)
      if (limit !== 0 && gi > limit - 2) continue
      // the last group was claimed for this thread before it started
      const prev = Atomics.compareExchange(claims, gi, 0, WORKER)
      if (prev !== 0 && prev !== WORKER) break
      out.groups++
      lowest = gi
      const g = job.groups[gi]
      for (let k = 0; k < decs.length; k++) {
        const dec = decs[k]
        const c = g.chunks[k]
        const codec = c ? codecs[c.codec] : undefined
        if (!c || !codec) {
          out.slow.push([gi, dec.leaf.name])
          continue
        }
        try {
          const chunk = readChunk(fd, c.start, c.length)
          const pages = scanChunk(chunk, dec.leaf)
          if (pages === null) {
            out.slow.push([gi, dec.leaf.name])
            continue
          }
          dec.startChunk()
          const page = await inf.inflate(c.codec, codec, chunk, pages)
          let row = g.rowStart
          pages.forEach((ref, i) => (row += dec.page(ref.header, page(i), row)))
          if (row - g.rowStart !== g.rows) throw new ParquetDataError(`the column chunk holds ${row - g.rowStart} values, the row group ${g.rows} rows`)
          out.chunks++
        } catch (e) {
          if (!(e instanceof ParquetDataError)) throw e
          out.corrupt = {group: gi, name: dec.leaf.name, message: e.message}
          break
        }
      }
      // the groups before this one are the reading thread's: it reaches any earlier problem first
      if (out.corrupt || decs.some((d) => d.first)) break
    }
  } finally {
    closeSync(fd)
  }
  out.firsts = decs.flatMap((d): [string, FirstBad][] => (d.first ? [[d.leaf.name, d.first]] : []))
  const keyed = decs.filter((d) => d.builder instanceof KeyBuilder)
  if (keyed.length > 0 && out.groups > 0 && !out.corrupt && out.firsts.length === 0) {
    // this thread's rows are the last ones, [from, rows): their keys get ids of a dictionary of
    // this thread in row order, unless a row is bad (then its key must not get an id before the
    // reading thread drops it), a chunk is left to hyparquet, or every key is a small integer
    // (no translation needed: the reading thread gives them ids in one pass, cheaper than
    // settling here and then absorbing this dictionary and rewriting the rows there)
    const from = job.groups[lowest].rowStart
    const dense = keyed.every((d) => (d.builder as KeyBuilder).pendingSize === 0)
    const mode = dense || out.slow.length > 0 || anyNonZero(status.subarray(from, job.rows)) ? 'deferred' : 'settled'
    out.keys = {
      mode,
      from,
      columns: keyed.map((d) => {
        const b = d.builder as KeyBuilder
        if (mode === 'deferred') return [d.leaf.name, b.exportPending()]
        b.markSettled(from)
        b.settle(job.rows)
        return [d.leaf.name, b.dict.export()]
      }),
    }
  }
  return out
}

parentPort?.once('message', async (job: SplitJob) => {
  try {
    parentPort?.postMessage({ok: true, result: await run(job)})
  } catch (e) {
    parentPort?.postMessage({ok: false, message: (e as Error).message})
  }
})
