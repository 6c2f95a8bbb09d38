/**
 * The second reader thread: parses one byte range of a delimited file into typed arrays and
 * transfers them back (no copy). Key ids are local to this thread; the main thread remaps them
 * (or, for small integer keys, gives them ids itself).
 */
import {parentPort} from 'node:worker_threads'
import {ArrayBuilder, ArrayKind, ColumnArray, KeyBuilder, makeBuilder, sharedView} from './builders.js'
import {parseDelimitedRange, RangeArgs, toWorkerError} from './range.js'
import {Column} from './table.js'

function transferables(c: Column): ArrayBuffer[] {
  const bufs = c.kind === 'keylist' ? [c.offsets.buffer, c.ids.buffer] : [c.data.buffer]
  // shared memory is shared by postMessage, never transferred
  return bufs.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer)
}

parentPort?.on('message', async (a: RangeArgs) => {
  try {
    const builders = a.fields.map((f) => makeBuilder(f, f.name))
    // write into the main thread's shared arrays where it gave some
    builders.forEach((b, i) => {
      const sh = a.shared?.[i]
      if (sh && b instanceof ArrayBuilder && b.kind !== 'keylist') {
        ;(b as ArrayBuilder<ColumnArray>).adopt(sharedView(b.kind as ArrayKind, sh.buffer, sh.offset, sh.length))
      }
    })
    const r = await parseDelimitedRange(a, builders, false)
    // keys that are all small integers are left without ids: the main thread gives them theirs
    // in one pass after its own rows (cheaper than ids of this thread's dictionary that it then
    // absorbs and rewrites, and this thread is done sooner)
    const deferred = builders.map((b) => (b instanceof KeyBuilder ? b.finishDeferred(r.rows) : undefined))
    const finished = builders.map((b, i) => deferred[i] ?? b.finish(r.rows))
    const columns = finished.map((c, i) => {
      const sh = a.shared?.[i]
      // in place: the rows are where the main thread expects them (no data needs to travel)
      const inPlace = !!sh && c.kind !== 'keylist' && c.data.buffer === sh.buffer && c.data.byteOffset === sh.offset * c.data.BYTES_PER_ELEMENT
      if (deferred[i]) return {...c, inPlace, deferred: true, dict: undefined}
      return {...c, inPlace, ...(c.kind === 'key' || c.kind === 'keylist' ? {dict: c.dict.export()} : {})}
    })
    // typed-array views travel with their whole buffers: transferred, not copied
    parentPort?.postMessage({ok: true, rows: r.rows, dropped: r.dropped, endLine: r.endLine, columns}, finished.flatMap(transferables))
  } catch (e) {
    parentPort?.postMessage({ok: false, error: toWorkerError(e)})
  }
})
