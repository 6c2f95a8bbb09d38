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
 * cores, RECEVAL_THREADS (or RECEVAL_COMPUTE_THREADS, for the metrics only) is not 1, enough
 * rows in the input (`rows`: the job may be a part of it), and the columns in shared memory (as the
 * two-thread reader leaves them), so nothing is copied. Otherwise undefined: compute them here.
 */
const computeThreads = () => process.env.RECEVAL_THREADS !== '1' && process.env.RECEVAL_COMPUTE_THREADS !== '1' && availableParallelism() >= 2

let warm: Worker | undefined

/** How many compute threads were started early and then used (for the tests). */
export const computeStats = {warmUsed: 0}

/**
 * Start the compute thread now, before it is needed (a thread takes 50 to 100 ms to start and load
 * its modules; started while the input is read, that time is not waited for afterwards). Call it
 * when the input looks large enough (`likelyRows` >= PARALLEL_MIN_ROWS); a thread that is then
 * not used does not keep the process alive.
 */
export function prewarmHistograms(likelyRows: number): void {
  if (warm || !computeThreads() || likelyRows < PARALLEL_MIN_ROWS) return
  warm = new Worker(new URL('./histogram-worker.js', import.meta.url))
  warm.unref()
  // a thread that fails to start is replaced by a new one when needed
  warm.once('error', () => (warm = undefined))
}

export function startHistograms(job: HistogramJob, rows = job.labels.length): HistogramTask | undefined {
  if (!computeThreads() || rows < PARALLEL_MIN_ROWS) return undefined
  if (!job.scores.every(shared) || !shared(job.labels) || !shared(job.weights)) return undefined
  if (warm) computeStats.warmUsed++
  const worker = warm ?? new Worker(new URL('./histogram-worker.js', import.meta.url))
  warm = undefined
  worker.ref()
  worker.removeAllListeners('error')
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
