import {aucOfHistogram} from '../metrics/auc.js'
import {groupAuc, GroupIndex} from '../metrics/gauc.js'
import {groupRecallAtK} from '../metrics/group-recall.js'
import {scoreHistogram} from '../metrics/histogram.js'
import {fuse, PreparedFusion} from './fusion.js'
import {metricName, SweepMetric} from './parse.js'

/** One task's rows, labels and (for gauc / recall@K) group index: plain typed arrays, so a worker can receive them. */
export interface EvaluatorTask {
  name: string
  /** rows of the task (null: every row) */
  rows: Int32Array | null
  labels: Uint8Array
  index?: GroupIndex
}

export interface EvaluatorData {
  metric: SweepMetric
  fusion: PreparedFusion
  tasks: EvaluatorTask[]
  rows: number
}

/**
 * The inner loop of a sweep: for weights w, the fused score of every row (one typed-array loop per
 * task, `fuse`), then each task's metric of it on the task's rows (scoreHistogram +
 * aucOfHistogram, groupAuc, groupRecallAtK). Buffers are allocated once and reused.
 */
export class SweepEvaluator {
  private readonly fused: Float64Array
  private readonly bufs: Float64Array[]

  constructor(private readonly d: EvaluatorData) {
    this.fused = new Float64Array(d.rows)
    this.bufs = d.tasks.map((t) => new Float64Array(t.rows ? t.rows.length : 0))
  }

  /** Write the k task metrics for weights `w` into out[at .. at + k). */
  evaluate(w: ArrayLike<number>, out: Float64Array, at: number): void {
    const f = fuse(this.fused, this.d.fusion, w)
    this.d.tasks.forEach((t, i) => {
      let s = f
      if (t.rows) {
        const rows = t.rows
        s = this.bufs[i]
        for (let j = 0; j < rows.length; j++) s[j] = f[rows[j]]
      }
      out[at + i] = metricOf(this.d.metric, t, s)
    })
  }

  /** Metrics of grid points [from, to) of a row-major weight array with k weights per point. */
  evaluateRange(weights: Float64Array, k: number, from: number, to: number): Float64Array {
    const out = new Float64Array((to - from) * k)
    for (let g = from; g < to; g++) this.evaluate(weights.subarray(g * k, g * k + k), out, (g - from) * k)
    return out
  }
}

function metricOf(metric: SweepMetric, t: EvaluatorTask, s: Float64Array): number {
  let v: number | null
  switch (metric.kind) {
    case 'auc':
      v = aucOfHistogram(scoreHistogram(s, t.labels))
      break
    case 'gauc':
      v = groupAuc(t.index as GroupIndex, t.labels, s).gauc
      break
    case 'recall':
      v = groupRecallAtK(t.index as GroupIndex, t.labels, s, metric.k).recall
      break
  }
  if (v === null || !Number.isFinite(v)) throw new Error(`SweepEvaluator: ${metricName(metric)} of task ${t.name} is undefined after validation`)
  return v
}
