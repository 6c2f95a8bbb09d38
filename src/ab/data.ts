import {Moments} from '../stats/moments.js'

/**
 * What `receval ab` analyses, whatever the input was (unit rows, or --stats sufficient
 * statistics): for each scope (the whole experiment, each day, each day cumulatively) and each
 * metric, the moments of every arm. Arrays indexed by arm follow `arms`.
 */
export interface Scope {
  /** units per arm in this scope */
  units: number[]
  /** metric name -> moments per arm */
  moments: Map<string, Moments[]>
}

export interface MetricInfo {
  name: string
  /** the --metric expression, when the metric was computed from unit rows */
  expr?: string
  numerator?: string
  denominator?: string | null
  scale?: number
  /** the covariate column (CUPED), when given */
  covariate?: string
}

export interface AbData {
  /** arm names; the control first */
  arms: string[]
  metrics: MetricInfo[]
  /** the whole experiment; null when only daily aggregates exist (paired-days from --stats) */
  overall: Scope | null
  /** sorted day labels, with --day */
  days?: string[]
  /** per day (same order as `days`): that day's units and moments */
  daily?: (Scope | null)[]
  /** per day: everything up to and including that day */
  cumulative?: (Scope | null)[]
  /** false when the input has sums but no second moments (only paired-days can run) */
  secondMoments: boolean
  /** covariate moments are present for these metrics */
  covariates: Set<string>
  notes: string[]
}

/**
 * The order of day labels: numeric when every label is a number, else by text (ISO dates such as
 * 2024-05-01 sort correctly as text). Returns indexes into `values`.
 * @example sortedLabels(['10', '9', '11']) // [1, 0, 2]
 */
export function sortedLabels(values: readonly string[]): number[] {
  const ids = values.map((_, i) => i)
  const numeric = values.every((v) => v.trim() !== '' && Number.isFinite(Number(v)))
  if (numeric) ids.sort((a, b) => Number(values[a]) - Number(values[b]))
  else ids.sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0))
  return ids
}

/** Arm order: the control first, then the others sorted by name. */
export function armOrder(names: readonly string[], control: string): string[] {
  return [control, ...names.filter((a) => a !== control).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))]
}
