/**
 * The second reader thread: parses one byte range of a delimited file into typed arrays and
 * transfers them back (no copy). Key ids are local to this thread; the main thread remaps them.
 */
import {parentPort} from 'node:worker_threads'
import {makeBuilder} from './builders.js'
import {parseDelimitedRange, RangeArgs, toWorkerError} from './range.js'
import {Column} from './table.js'

function transferables(c: Column): ArrayBuffer[] {
  switch (c.kind) {
    case 'float':
    case 'label':
      return [c.data.buffer as ArrayBuffer]
    case 'key':
      return [c.data.buffer as ArrayBuffer]
    case 'keylist':
      return [c.offsets.buffer as ArrayBuffer, c.ids.buffer as ArrayBuffer]
  }
}

parentPort?.on('message', async (a: RangeArgs) => {
  try {
    const builders = a.fields.map((f) => makeBuilder(f, f.name))
    const r = await parseDelimitedRange(a, builders)
    const columns = r.columns.map((c) => (c.kind === 'key' || c.kind === 'keylist' ? {...c, dict: c.dict.export()} : c))
    // typed-array views travel with their whole buffers: transferred, not copied
    parentPort?.postMessage({ok: true, rows: r.rows, dropped: r.dropped, endLine: r.endLine, columns}, r.columns.flatMap(transferables))
  } catch (e) {
    parentPort?.postMessage({ok: false, error: toWorkerError(e)})
  }
})
