import {InputError} from '../cli/errors.js'
import {Table, floatColumn, keyColumn, labelColumn} from '../io/index.js'
import {aucOfHistogram} from './auc.js'
import {averagePrecision} from './average-precision.js'
import {aucInterval, delongCovariance, delongTest, delongVariance, placements, ScoreWithPlacements} from './delong.js'
import {groupAuc, groupAucOfIds, groupIndex, GroupAucResult, GroupIndex} from './gauc.js'
import {addHistograms, ScoreHistogram, scoreHistogram} from './histogram.js'
import {startHistograms} from './parallel.js'
import {probabilityFromHistogram} from './probability.js'
import {confusionAt, ThresholdRow} from './thresholds.js'

/** What `receval auc` evaluates: the columns (already resolved) and the options. */
export interface ClassificationSpec {
  label: string
  scores: string[]
  group?: string
  weight?: string
  ci?: boolean
  alpha?: number
  thresholds?: number[]
}

export interface ScoreResult {
  auc: number
  pr_auc: number
  logloss: number | null
  ne: number | null
  brier: number | null
  calibration: number | null
  auc_ci?: [number, number] | null
  auc_se?: number | null
  gauc?: number | null
  gauc_unweighted?: number | null
  gauc_groups?: number
  gauc_groups_skipped?: number
  thresholds?: ThresholdRow[]
}

export interface Comparison {
  a: string
  b: string
  delta: number
  se: number | null
  z: number | null
  p_value: number | null
}

/** The `receval auc --json` result (documented in README "JSON results"). */
export interface AucResult {
  command: 'auc'
  file: string
  rows: number
  dropped_rows: number
  positives: number
  negatives: number
  columns: {label: string; scores: string[]; group?: string; weight?: string}
  alpha?: number
  scores: Record<string, ScoreResult>
  comparisons?: Comparison[]
  notes: string[]
}

/** Everything computed on the way that reports and the warehouse merge may reuse. */
export interface ClassificationDetail {
  histograms: Map<string, ScoreHistogram>
  groups: Map<string, GroupAucResult>
}

/** Parts computed elsewhere (another thread), by score name. */
export interface Precomputed {
  /** classTotals, already checked */
  totals?: {P: number; N: number; file: string}
  histograms?: Map<string, ScoreHistogram>
  groups?: Map<string, GroupAucResult>
}

/** Positive and negative totals; an input error when one class is missing. */
function classTotals(table: Table, spec: ClassificationSpec, labels: Uint8Array, weights?: Float64Array): {P: number; N: number; file: string} {
  let P = 0
  let N = 0
  if (weights) {
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] === 1) P += weights[i]
      else N += weights[i]
    }
  } else {
    for (let i = 0; i < labels.length; i++) P += labels[i] === 1 ? 1 : 0
    N = labels.length - P
  }
  const file = table.source.path === '-' ? '<stdin>' : table.source.path
  if (P === 0 || N === 0) {
    const what = weights ? `${P === 0 ? 'positive' : 'negative'} weight is 0` : `all ${table.rows} rows have ${spec.label} = ${P === 0 ? 0 : 1}`
    throw new InputError({file, column: spec.label}, `${what}; AUC needs both positives and negatives`)
  }
  return {P, N, file}
}

function groupIndexOf(table: Table, group: string, labels: Uint8Array): GroupIndex {
  const g = keyColumn(table, group)
  return groupIndex(g.data, g.dict.size, labels)
}

/**
 * `evaluateClassification` using two cores on large inputs: a compute thread builds score
 * histograms (radix sorts) while this one lays out the groups and computes GAUC, or builds the
 * other scores' histograms. The result is identical (the same functions on the same data).
 */
export async function evaluateClassificationParallel(table: Table, spec: ClassificationSpec): Promise<{result: AucResult; detail: ClassificationDetail}> {
  const labels = labelColumn(table, spec.label)
  const weights = spec.weight ? floatColumn(table, spec.weight) : undefined
  const totals = classTotals(table, spec, labels, weights)
  const scores = spec.scores.map((n) => floatColumn(table, n))
  if (scores.length === 1) {
    // one score: the thread builds the histogram of the first `cut` rows while this one builds
    // the rest's, after computing GAUC with groups (GAUC takes about 2/3 of the time of the whole
    // histogram here, so the thread then takes 4/5 of the rows, else half); the two are added
    const s = scores[0]
    const cut = spec.group ? Math.floor(labels.length * 0.8) : labels.length >> 1
    const task = startHistograms({scores: [s.subarray(0, cut)], labels: labels.subarray(0, cut), weights: weights?.subarray(0, cut)}, labels.length)
    if (!task) return evaluateClassification(table, spec)
    try {
      const pre: Precomputed = {totals}
      if (spec.group) {
        const g = keyColumn(table, spec.group)
        pre.groups = new Map([[spec.scores[0], groupAucOfIds(g.data, g.dict.size, labels, s, weights)]])
      }
      const mine = scoreHistogram(s.subarray(cut), labels.subarray(cut), weights?.subarray(cut))
      const [theirs] = await task.result
      pre.histograms = new Map([[spec.scores[0], addHistograms(theirs, mine)]])
      return evaluateClassification(table, spec, pre)
    } catch (e) {
      await task.cancel()
      throw e
    }
  }
  // with groups the thread takes every histogram; without, half of the scores
  const theirs = spec.group ? spec.scores.map((_, i) => i) : spec.scores.flatMap((_, i) => (i % 2 === 1 ? [i] : []))
  const task = startHistograms({scores: theirs.map((i) => scores[i]), labels, weights})
  if (!task) return evaluateClassification(table, spec)
  try {
    const pre: Precomputed = {totals, histograms: new Map()}
    if (spec.group) {
      const gi = groupIndexOf(table, spec.group, labels)
      pre.groups = new Map(spec.scores.map((n, i) => [n, groupAuc(gi, labels, scores[i], weights)]))
    }
    spec.scores.forEach((n, i) => {
      if (!theirs.includes(i)) pre.histograms?.set(n, scoreHistogram(scores[i], labels, weights))
    })
    const hs = await task.result
    theirs.forEach((i, k) => pre.histograms?.set(spec.scores[i], hs[k]))
    return evaluateClassification(table, spec, pre)
  } catch (e) {
    await task.cancel()
    throw e
  }
}

/**
 * Evaluate binary classification metrics of one or more score columns of a table.
 *
 * 1. validate: both classes present
 * 2. per score: the score histogram -> auc, pr_auc, thresholds (and DeLong with --ci)
 * 3. per score: probability metrics in one pass over the rows
 * 4. with a group column: per-group AUC through one counting sort of the group ids
 * 5. with --ci and 2+ scores: paired DeLong of each later score against the first
 */
export function evaluateClassification(table: Table, spec: ClassificationSpec, pre: Precomputed = {}): {result: AucResult; detail: ClassificationDetail} {
  const labels = labelColumn(table, spec.label)
  const weights = spec.weight ? floatColumn(table, spec.weight) : undefined
  const notes: string[] = []
  const {P, N, file} = pre.totals ?? classTotals(table, spec, labels, weights)
  const alpha = spec.alpha ?? 0.05
  // one score: its GAUC lays the rows out directly (groupAucOfIds); several share one index
  const gi = spec.group && !pre.groups && spec.scores.length > 1 ? groupIndexOf(table, spec.group, labels) : undefined

  const histograms = new Map<string, ScoreHistogram>()
  const groups = new Map<string, GroupAucResult>()
  const withPl: ScoreWithPlacements[] = []
  const scores: Record<string, ScoreResult> = {}
  let outOfRange = false
  for (const name of spec.scores) {
    const s = floatColumn(table, name)
    const h = pre.histograms?.get(name) ?? scoreHistogram(s, labels, weights)
    histograms.set(name, h)
    const a = aucOfHistogram(h)
    const prob = probabilityFromHistogram(h)
    if (!prob.inRange) outOfRange = true
    const r: ScoreResult = {
      auc: a,
      pr_auc: averagePrecision(h),
      logloss: prob.logloss,
      ne: prob.ne,
      brier: prob.brier,
      calibration: prob.calibration,
    }
    if (spec.ci) {
      if (weights) {
        r.auc_se = null
        r.auc_ci = null
      } else {
        const pl = placements(h)
        const v = delongVariance(h, pl, a)
        const se = Number.isFinite(v) ? Math.sqrt(v) : null
        r.auc_se = se
        r.auc_ci = se === null ? null : aucInterval(a, se, alpha)
        withPl.push({scores: s, h, pl, auc: a})
      }
    }
    if (spec.group) {
      const g = pre.groups?.get(name) ?? (gi ? groupAuc(gi, labels, s, weights) : groupAucOfIds(keyColumn(table, spec.group).data, keyColumn(table, spec.group).dict.size, labels, s, weights))
      groups.set(name, g)
      r.gauc = g.gauc
      r.gauc_unweighted = g.gauc_unweighted
      r.gauc_groups = g.gauc_groups
      r.gauc_groups_skipped = g.gauc_groups_skipped
    }
    if (spec.thresholds?.length) r.thresholds = confusionAt(h, spec.thresholds)
    scores[name] = r
  }
  if (outOfRange) notes.push('logloss, ne, brier and calibration are null for scores with values outside [0, 1]: they are not probabilities')
  if (spec.ci && weights) notes.push('auc_se and auc_ci are null with --weight: the DeLong variance is defined for unweighted AUC only')
  if (spec.ci && !weights && (P < 2 || N < 2)) notes.push('auc_se is null: the DeLong variance needs at least 2 positives and 2 negatives')
  if (spec.group) {
    const anyNull = [...groups.values()].some((g) => g.gauc === null)
    if (anyNull) notes.push('gauc is null: no group has both a positive and a negative')
  }

  const result: AucResult = {
    command: 'auc',
    file,
    rows: table.rows,
    dropped_rows: table.dropped,
    positives: P,
    negatives: N,
    columns: {label: spec.label, scores: spec.scores, ...(spec.group ? {group: spec.group} : {}), ...(spec.weight ? {weight: spec.weight} : {})},
    ...(spec.ci ? {alpha} : {}),
    scores,
    notes,
  }
  if (spec.ci && spec.scores.length > 1) {
    const first = spec.scores[0]
    result.comparisons = spec.scores.slice(1).map((b, k) => {
      if (weights || withPl.length < 2) return {a: first, b, delta: scores[b].auc - scores[first].auc, se: null, z: null, p_value: null}
      const A = withPl[0]
      const B = withPl[k + 1]
      const varA = (scores[first].auc_se ?? NaN) ** 2
      const varB = (scores[b].auc_se ?? NaN) ** 2
      const t = delongTest(A.auc, varA, B.auc, varB, delongCovariance(labels, A, B))
      const ok = Number.isFinite(t.se)
      return {a: first, b, delta: t.delta, se: ok ? t.se : null, z: ok ? t.z : null, p_value: ok ? t.p_value : null}
    })
    if (weights) notes.push('comparisons have no z or p_value with --weight: paired DeLong is defined for unweighted AUC only')
  }
  return {result, detail: {histograms, groups}}
}
