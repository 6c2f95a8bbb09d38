import {parentPort} from 'node:worker_threads'
import {compileSpec, preload, renderSvg} from './vega.js'

/**
 * A chart-rendering worker (see renderer.ts): imports vega and vega-lite as soon as it starts,
 * then answers {id, op, spec, prefix} messages with {id, ok, out | error}.
 */
const port = parentPort
if (!port) throw new Error('render-worker.js runs as a worker thread')

void preload()

port.on('message', (m: {id: number; op: 'render' | 'compile'; spec: Parameters<typeof renderSvg>[0]; prefix: string}) => {
  const job = m.op === 'render' ? renderSvg(m.spec, m.prefix) : compileSpec(m.spec).then((vega) => ({vega}))
  job.then(
    (out) => port.postMessage({id: m.id, ok: true, out}),
    (e: unknown) => port.postMessage({id: m.id, ok: false, error: e instanceof Error ? e.message : String(e)}),
  )
})
