/**
 * The second sweep thread: receives the evaluator's typed arrays (copied by structured clone) and
 * a range of grid points, returns their metrics (transferred, not copied).
 */
import {parentPort} from 'node:worker_threads'
import {EvaluatorData, SweepEvaluator} from './evaluator.js'

export interface SweepJob {
  data: EvaluatorData
  weights: Float64Array
  k: number
  from: number
  to: number
}

parentPort?.on('message', (job: SweepJob) => {
  try {
    const out = new SweepEvaluator(job.data).evaluateRange(job.weights, job.k, job.from, job.to)
    parentPort?.postMessage({ok: true, values: out}, [out.buffer as ArrayBuffer])
  } catch (e) {
    parentPort?.postMessage({ok: false, message: (e as Error).message})
  }
})
