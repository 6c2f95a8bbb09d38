import {availableParallelism} from 'node:os'
import {Worker} from 'node:worker_threads'
import {ScoreHistogram} from './histogram.js'
import type {HistogramJob} from './histogram-worker.js'

/** Below this many rows a compute thread costs more (~40 ms to start) than it saves. */
export const PARALLEL_MIN_ROWS = 1 << 20

const shared = (a: ArrayBufferView | undefined) => a === undefined || a.buffer instanceof SharedArrayBuffer

/** Histograms being computed on another thread; `cancel` ends it early (an error on this thread). */
export interface HistogramTask {
  result: Promise<ScoreHistogram[]>
  cancel(): Promise<void>
}

/**
 * Start `scoreHistogram` of each score on a compute thread, when that can help: two or more
 * cores, RECEVAL_THREADS (or RECEVAL_COMPUTE_THREADS, for the metrics only) is not 1, enough rows, and the columns in shared memory (as the
 * two-thread reader leaves them), so nothing is copied. Otherwise undefined: compute them here.
 */
export function startHistograms(job: HistogramJob): HistogramTask | undefined {
  const n = job.labels.length
  if (process.env.RECEVAL_THREADS === '1' || process.env.RECEVAL_COMPUTE_THREADS === '1' || availableParallelism() < 2 || n < PARALLEL_MIN_ROWS) return undefined
  if (!job.scores.every(shared) || !shared(job.labels) || !shared(job.weights)) return undefined
  const worker = new Worker(new URL('./histogram-worker.js', import.meta.url))
  const result = new Promise<ScoreHistogram[]>((resolve, reject) => {
    worker.once('message', (m: {ok: boolean; histograms?: ScoreHistogram[]; error?: string}) => {
      if (m.ok) resolve(m.histograms as ScoreHistogram[])
      else reject(new Error(`histogram thread failed: ${m.error}`))
    })
    worker.once('error', (e) => reject(e))
  }).finally(() => void worker.terminate())
  worker.postMessage(job)
  return {
    result,
    cancel: async () => {
      result.catch(() => undefined)
      await worker.terminate()
    },
  }
}
