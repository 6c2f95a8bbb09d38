/**
 * A compute thread for score histograms (the radix sorts), so that the main thread can lay out
 * groups for GAUC, or sort other scores, at the same time. Its inputs are views of shared memory
 * (read, never written); the histograms travel back transferred, not copied.
 */
import {parentPort} from 'node:worker_threads'
import {scoreHistogram, ScoreHistogram} from './histogram.js'

export interface HistogramJob {
  scores: Float64Array[]
  labels: Uint8Array
  weights?: Float64Array
}

parentPort?.on('message', (job: HistogramJob) => {
  try {
    const out: ScoreHistogram[] = job.scores.map((s) => scoreHistogram(s, job.labels, job.weights))
    parentPort?.postMessage({ok: true, histograms: out}, out.flatMap((h) => [h.values.buffer, h.pos.buffer, h.neg.buffer] as ArrayBuffer[]))
  } catch (e) {
    parentPort?.postMessage({ok: false, error: e instanceof Error ? e.message : String(e)})
  }
})
