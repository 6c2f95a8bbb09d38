import {availableParallelism} from 'node:os'
import {Worker} from 'node:worker_threads'
import type {TopLevelSpec} from 'vega-lite'
import type {RenderedChart} from './vega.js'

/**
 * Where charts are rendered. vega and vega-lite take about 0.3 s of CPU to import and each chart
 * 50-100 ms to render, so a command that writes a report starts worker threads early
 * (`startChartWorkers()` right after reading its input): they import vega while the command
 * computes its metrics on the main thread, then render the charts in parallel. Without workers,
 * charts are rendered in this thread. Output is identical either way.
 */
export interface ChartRenderer {
  render(spec: TopLevelSpec, idPrefix: string): Promise<RenderedChart>
  compile(spec: TopLevelSpec): Promise<object>
  /** stop the workers (idempotent); pending renders fail */
  close(): Promise<void>
}

/** Render in this thread (vega is imported on the first chart). */
export function inProcessRenderer(): ChartRenderer {
  return {
    async render(spec, idPrefix) {
      const {renderSvg} = await import('./vega.js')
      return renderSvg(spec, idPrefix)
    },
    async compile(spec) {
      const {compileSpec} = await import('./vega.js')
      return compileSpec(spec)
    },
    async close() {},
  }
}

interface Pending {
  resolve: (v: unknown) => void
  reject: (e: Error) => void
}

class WorkerSlot {
  readonly worker: Worker
  readonly pending = new Map<number, Pending>()
  failed: Error | undefined

  constructor(url: URL) {
    this.worker = new Worker(url)
    // idle workers must not keep the process alive; they are ref'd while a job is pending
    this.worker.unref()
    this.worker.on('message', (m: {id: number; ok: boolean; out?: unknown; error?: string}) => {
      const p = this.pending.get(m.id)
      if (!p) return
      this.pending.delete(m.id)
      if (this.pending.size === 0) this.worker.unref()
      if (m.ok) p.resolve(m.out)
      else p.reject(new Error(m.error))
    })
    this.worker.on('error', (e) => this.fail(e))
    this.worker.on('exit', (code) => this.fail(new Error(`chart worker exited with code ${code}`)))
  }

  private fail(e: Error): void {
    this.failed ??= e
    for (const p of this.pending.values()) p.reject(e)
    this.pending.clear()
  }

  send(id: number, msg: object): Promise<unknown> {
    if (this.failed) return Promise.reject(this.failed)
    if (this.pending.size === 0) this.worker.ref()
    return new Promise((resolve, reject) => {
      this.pending.set(id, {resolve, reject})
      this.worker.postMessage({id, ...msg})
    })
  }
}

/** Workers to start: one per core, at most 2 (a report has a handful of charts). */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(2, availableParallelism()))
}

/**
 * Start `count` chart workers now (they begin importing vega at once). A chart a worker cannot
 * render (the worker died) is rendered in this thread instead, so a report never fails for it.
 */
export function startChartWorkers(count = defaultWorkerCount()): ChartRenderer {
  const url = new URL('./render-worker.js', import.meta.url)
  let slots: WorkerSlot[]
  try {
    slots = Array.from({length: count}, () => new WorkerSlot(url))
  } catch {
    return inProcessRenderer()
  }
  const local = inProcessRenderer()
  let next = 0
  const pick = () => slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a))
  const run = async <T>(msg: object, fallback: () => Promise<T>): Promise<T> => {
    const slot = pick()
    try {
      return (await slot.send(next++, msg)) as T
    } catch (e) {
      if (slot.failed) return fallback()
      throw e
    }
  }
  return {
    render: (spec, idPrefix) => run<RenderedChart>({op: 'render', spec, prefix: idPrefix}, () => local.render(spec, idPrefix)),
    compile: (spec) => run<{vega: object}>({op: 'compile', spec, prefix: ''}, async () => ({vega: await local.compile(spec)})).then((r) => r.vega),
    async close() {
      await Promise.all(slots.map((s) => s.worker.terminate()))
    },
  }
}
