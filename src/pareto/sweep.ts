import {Worker} from 'node:worker_threads'
import {InputError, UsageError} from '../cli/errors.js'
import {floatColumn, keyColumn, labelColumn, Table} from '../io/index.js'
import {groupAuc, groupIndex} from '../metrics/gauc.js'
import {groupRecallAtK} from '../metrics/group-recall.js'
import {Sense} from './dominance.js'
import {EvaluatorData, EvaluatorTask, SweepEvaluator} from './evaluator.js'
import {analyzeFront} from './front.js'
import {Fusion, prepareFusion} from './fusion.js'
import type {SweepJob} from './sweep-worker.js'
import {metricName, SweepMetric, TaskSpec} from './parse.js'
import {gridSize, weightGrid} from './weights.js'

/** What a sweep evaluates; column names already resolved against the file. */
export interface SweepSpec {
  /** the input's display name, for messages */
  file: string
  tasks: TaskSpec[]
  metric: SweepMetric
  fusion: Fusion
  steps: number
  /** factor column multiplied into the fused score */
  times?: string
  /** group column, for gauc and recall@K */
  group?: string
  /** the production weights, one per task, on the simplex */
  baseline?: number[]
  /** reference point for the hypervolume, one metric value per task */
  ref?: number[]
  /**
   * split the grid between this thread and a worker: 'auto' (default) when rows x grid points is
   * at least PARALLEL_WORK; the results are identical either way
   */
  parallel?: boolean | 'auto'
}

/** rows x grid points from which 'auto' uses a second thread (below, starting it costs more than it saves) */
export const PARALLEL_WORK = 4_000_000

/** Grids larger than this are refused: each point is a full pass over the rows. */
export const MAX_GRID = 100_000

export interface SweepTask {
  name: string
  score: string
  label: string
  filter: string | null
  /** rows the task is evaluated on (after its filter) */
  rows: number
  positives: number
  /** gauc / recall@K: groups used and skipped (one class only / no positives) */
  groups?: number
  groups_skipped?: number
}

export interface GridPoint {
  weights: Record<string, number>
  metrics: Record<string, number>
  on_frontier: boolean
}

export interface SweepBaseline {
  weights: Record<string, number>
  metrics: Record<string, number>
  /** the grid point with the same weights, or null when the baseline is off the grid */
  grid_index: number | null
  on_frontier: boolean
  dominated_by: number[]
  dominating_hypervolume: number
  hypervolume_gain: number
}

export interface SweepOutcome {
  metric: string
  fusion: Fusion
  steps: number
  times: string | null
  group: string | null
  tasks: SweepTask[]
  grid: GridPoint[]
  frontier: number[]
  ref: number[]
  ref_source: 'ref' | 'baseline' | 'nadir'
  hypervolume: number
  hypervolume_points: number
  knee: number | null
  knee_distance: number | null
  knee_plane: 'extremes' | 'unit' | null
  knee_reason?: string
  baseline?: SweepBaseline
}

interface PreparedTask extends EvaluatorTask {
  info: SweepTask
}

/**
 * Sweep fusion weights over a prediction dump and find the weight vectors no other beats on every
 * task's metric.
 *
 * 1. validate the spec (2+ distinct task names, baseline on the simplex, ref arity, grid size)
 * 2. per task: its rows (the filter column is 1), labels, group index; refuse tasks whose metric
 *    is undefined whatever the weights (one class only, no group with both classes, no positives)
 * 3. fusion terms once (ln s for product)
 * 4. per grid point (weights a/steps from the integer compositions of steps): the fused score of
 *    every row (one typed-array loop per task), then each task's metric on its rows
 *    (`SweepEvaluator`); large sweeps split the grid with a worker thread
 * 5. the baseline weights, evaluated the same way
 * 6. the frontier (every metric maximised), hypervolume against --ref, else the baseline's
 *    metrics, else the grid's worst value of each metric (its nadir), the knee, and the baseline
 *    against the frontier
 */
export async function sweepWeights(table: Table, spec: SweepSpec): Promise<SweepOutcome> {
  // 1.
  validateSweepSpec(spec)
  const k = spec.tasks.length
  const names = spec.tasks.map((t) => t.name)

  // 2.
  const n = table.rows
  const groupIds = spec.group !== undefined ? keyColumn(table, spec.group) : undefined
  const tasks: PreparedTask[] = spec.tasks.map((t) => prepareTask(table, spec, t, groupIds?.data, groupIds?.dict.size ?? 0))

  // 3.
  const fusion = prepareFusion({
    fusion: spec.fusion,
    scores: spec.tasks.map((t) => floatColumn(table, t.score)),
    times: spec.times !== undefined ? floatColumn(table, spec.times) : undefined,
  })
  const data: EvaluatorData = {metric: spec.metric, fusion, rows: n, tasks: tasks.map(({name, rows, labels, index}) => ({name, rows, labels, index}))}
  const evaluator = new SweepEvaluator(data)

  // 4.
  const grid = weightGrid(k, spec.steps)
  const parallel = spec.parallel === undefined || spec.parallel === 'auto' ? n * grid.count >= PARALLEL_WORK && grid.count >= 4 : spec.parallel && grid.count >= 2
  const values = parallel ? await evaluateInTwoThreads(evaluator, data, grid.weights, k, grid.count) : evaluator.evaluateRange(grid.weights, k, 0, grid.count)

  // 5.
  let baselineValues: Float64Array | undefined
  if (spec.baseline !== undefined) {
    baselineValues = new Float64Array(k)
    evaluator.evaluate(spec.baseline, baselineValues, 0)
  }

  // 6.
  const senses: Sense[] = names.map(() => 'max')
  let ref: number[]
  let refSource: SweepOutcome['ref_source']
  if (spec.ref !== undefined) {
    ref = spec.ref
    refSource = 'ref'
  } else if (baselineValues !== undefined) {
    ref = Array.from(baselineValues)
    refSource = 'baseline'
  } else {
    ref = names.map((_, i) => {
      let worst = Infinity
      for (let g = 0; g < grid.count; g++) worst = Math.min(worst, values[g * k + i])
      return worst
    })
    refSource = 'nadir'
  }
  const a = analyzeFront(values, k, senses, {ref, baseline: baselineValues})
  const record = (v: ArrayLike<number>, at: number) => Object.fromEntries(names.map((nm, i) => [nm, v[at + i]]))
  const onFront = new Uint8Array(grid.count)
  for (const g of a.frontier) onFront[g] = 1
  const out: SweepOutcome = {
    metric: metricName(spec.metric),
    fusion: spec.fusion,
    steps: spec.steps,
    times: spec.times ?? null,
    group: spec.group ?? null,
    tasks: tasks.map((t) => t.info),
    grid: Array.from({length: grid.count}, (_, g) => ({weights: record(grid.weights, g * k), metrics: record(values, g * k), on_frontier: onFront[g] === 1})),
    frontier: a.frontier,
    ref,
    ref_source: refSource,
    hypervolume: a.hypervolume as number,
    hypervolume_points: a.hypervolume_points as number,
    knee: a.knee,
    knee_distance: a.knee_distance,
    knee_plane: a.knee_plane,
  }
  if (a.knee_reason !== undefined) out.knee_reason = a.knee_reason
  if (spec.baseline !== undefined && baselineValues !== undefined && a.baseline !== undefined) {
    const b = spec.baseline
    let gridIndex: number | null = null
    for (let g = 0; g < grid.count && gridIndex === null; g++) {
      let same = true
      for (let i = 0; i < k; i++) if (Math.abs(grid.weights[g * k + i] - b[i]) > 1e-12) same = false
      if (same) gridIndex = g
    }
    out.baseline = {
      weights: record(b, 0),
      metrics: record(baselineValues, 0),
      grid_index: gridIndex,
      on_frontier: a.baseline.on_frontier,
      dominated_by: a.baseline.dominated_by,
      dominating_hypervolume: a.baseline.dominating_hypervolume,
      hypervolume_gain: a.baseline.hypervolume_gain as number,
    }
  }
  return out
}

/** Step 1 of `sweepWeights`, callable before reading the file: the checks that need no data. */
export function validateSweepSpec(spec: Omit<SweepSpec, 'file'>): void {
  const k = spec.tasks.length
  if (k < 2) throw new UsageError('a sweep needs at least two --task flags (one per objective)')
  const names = spec.tasks.map((t) => t.name)
  const dup = names.find((n, i) => names.indexOf(n) !== i)
  if (dup !== undefined) throw new UsageError(`--task name "${dup}" is used twice; each task needs its own name`)
  if ((spec.metric.kind === 'gauc' || spec.metric.kind === 'recall') && spec.group === undefined) throw new UsageError(`--metric ${metricName(spec.metric)} needs --group`)
  if (spec.baseline !== undefined) {
    const b = spec.baseline
    if (b.length !== k) throw new UsageError(`--baseline needs ${k} weights (one per --task, in order), got ${b.length}`)
    if (b.some((x) => !(x >= 0))) throw new UsageError(`--baseline weights must be >= 0, got ${b.join(',')}`)
    const s = b.reduce((a, x) => a + x, 0)
    if (Math.abs(s - 1) > 1e-9) throw new UsageError(`--baseline weights must sum to 1 (a point on the simplex), got ${b.join(',')} (sum ${s})`)
  }
  if (spec.ref !== undefined && spec.ref.length !== k) throw new UsageError(`--ref needs ${k} values (one per --task, in order), got ${spec.ref.length}`)
  const size = gridSize(k, spec.steps)
  if (size > MAX_GRID) throw new UsageError(`--steps ${spec.steps} with ${k} tasks gives ${size} weight vectors (more than ${MAX_GRID}); use fewer steps`)
}

function prepareTask(table: Table, spec: SweepSpec, t: TaskSpec, ids: Int32Array | undefined, groups: number): PreparedTask {
  const n = table.rows
  const allLabels = labelColumn(table, t.label)
  let rows: Int32Array | null = null
  let labels = allLabels
  if (t.filter !== undefined) {
    const keep = labelColumn(table, t.filter)
    let c = 0
    for (let r = 0; r < n; r++) c += keep[r]
    if (c === 0) throw new InputError({file: spec.file, column: t.filter}, `task "${t.name}": no rows where ${t.filter} is 1, nothing to evaluate`)
    rows = new Int32Array(c)
    for (let r = 0, j = 0; r < n; r++) if (keep[r] === 1) rows[j++] = r
    labels = new Uint8Array(c)
    for (let j = 0; j < c; j++) labels[j] = allLabels[rows[j]]
  }
  const m = labels.length
  let P = 0
  for (let j = 0; j < m; j++) P += labels[j]
  const where = t.filter !== undefined ? ` among the ${m} rows where ${t.filter} is 1` : ''
  const info: SweepTask = {name: t.name, score: t.score, label: t.label, filter: t.filter ?? null, rows: m, positives: P}
  const task: PreparedTask = {name: t.name, rows, labels, info}
  if (P === 0 || (P === m && spec.metric.kind !== 'recall')) {
    throw new InputError({file: spec.file, column: t.label}, `task "${t.name}": ${P === 0 ? 'no positives' : 'no negatives'}${where}, so ${metricName(spec.metric)} is undefined`)
  }
  if (ids !== undefined) {
    let sub = ids
    if (rows) {
      sub = new Int32Array(m)
      for (let j = 0; j < m; j++) sub[j] = ids[rows[j]]
    }
    task.index = groupIndex(sub, groups, labels)
    const flat = new Float64Array(m)
    if (spec.metric.kind === 'gauc') {
      const g = groupAuc(task.index, labels, flat)
      if (g.gauc_groups === 0) throw new InputError({file: spec.file, column: spec.group}, `task "${t.name}": no group has both classes${where}, so gauc is undefined`)
      info.groups = g.gauc_groups
      info.groups_skipped = g.gauc_groups_skipped
    } else if (spec.metric.kind === 'recall') {
      const g = groupRecallAtK(task.index, labels, flat, spec.metric.k)
      info.groups = g.groups
      info.groups_skipped = g.skipped
    }
  }
  return task
}

/**
 * Grid points [0, half) here and [half, count) in a worker, at the same time. The worker gets
 * copies of the evaluator's arrays; both threads run the same SweepEvaluator code, so the values
 * are the same as with one thread.
 */
async function evaluateInTwoThreads(evaluator: SweepEvaluator, data: EvaluatorData, weights: Float64Array, k: number, count: number): Promise<Float64Array> {
  const half = Math.ceil(count / 2)
  const worker = new Worker(new URL('./sweep-worker.js', import.meta.url))
  try {
    const reply = new Promise<{ok: boolean; values?: Float64Array; message?: string}>((resolve) => {
      worker.once('message', resolve)
      worker.once('error', (e) => resolve({ok: false, message: e.message}))
    })
    const job: SweepJob = {data, weights, k, from: half, to: count}
    worker.postMessage(job)
    const first = evaluator.evaluateRange(weights, k, 0, half)
    const second = await reply
    if (!second.ok || !second.values) throw new Error(`sweep thread failed: ${second.message}`)
    const out = new Float64Array(count * k)
    out.set(first)
    out.set(second.values, half * k)
    return out
  } finally {
    await worker.terminate()
  }
}
