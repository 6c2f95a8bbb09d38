import {InputError, UsageError} from '../cli/errors.js'
import {ColumnRequest, floatColumn, keyColumn, ReadResult} from '../io/index.js'
import {Correction} from '../stats/multiple-testing.js'
import {DEFAULT_TUNING} from '../stats/sequential.js'
import {AbAnalysis, analyzeAb, AbOptions, Method} from './analyze.js'
import {MetricDef, parseMetric, parseMetrics} from './metric-expr.js'
import {statsData} from './stats-file.js'
import {CapInfo, CapRule, parseCap, unitData} from './units.js'

/** Header names tried for the arm column when --arm is not given. */
export const ARM_DEFAULTS = ['arm', 'variant', 'group', 'bucket'] as const

export interface AbFlags {
  file?: string
  stats?: string[]
  arm?: string
  control?: string
  metric: string[]
  unit?: string
  day?: string
  alpha: number
  correction?: Correction
  expectedSplit?: string
  method: Method
  covariate: string[]
  cap: string[]
  sequential: boolean
  tuning: number
  power: number
}

/** The `receval ab --json` result: the analysis plus what was read. */
export interface AbResult extends AbAnalysis {
  /** the unit-level input (null with --stats) */
  file: string | null
  stats_files?: string[]
  /** data rows used (stats rows with --stats) */
  rows: number
  dropped_rows: number
  /** randomization units over all arms */
  units: number
  capping?: CapInfo[]
}

type Reader = (path: string, requests: ColumnRequest[]) => Promise<ReadResult>

/**
 * Parse `ARM=SHARE,...`.
 * @example parseSplit('control=50,treatment=50') // Map {control => 50, treatment => 50}
 */
export function parseSplit(text: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const part of text.split(',')) {
    const eq = part.lastIndexOf('=')
    const name = part.slice(0, eq).trim()
    const v = Number(part.slice(eq + 1).trim())
    if (eq <= 0 || !(v > 0) || !Number.isFinite(v)) throw new UsageError(`--expected-split "${text}": "${part}" is not ARM=SHARE with a share > 0; e.g. control=50,treatment=50`)
    if (out.has(name)) throw new UsageError(`--expected-split names arm "${name}" twice`)
    out.set(name, v)
  }
  return out
}

/** Parse `--covariate METRIC=COL` (with --stats, `METRIC` alone). */
export function parseCovariates(texts: readonly string[], stats: boolean): Map<string, string> {
  const out = new Map<string, string>()
  for (const t of texts) {
    const eq = t.indexOf('=')
    const metric = (eq < 0 ? t : t.slice(0, eq)).trim()
    const col = eq < 0 ? '' : t.slice(eq + 1).trim()
    if (metric === '' || (!stats && col === '')) throw new UsageError(`--covariate "${t}": expected METRIC=COL (the metric's pre-period value per unit), e.g. ctr=pre_clicks`)
    if (out.has(metric)) throw new UsageError(`--covariate names metric "${metric}" twice`)
    out.set(metric, col)
  }
  return out
}

/** Rewrite the reader's "weights must be >= 0" for the counts and amounts of ratio metrics. */
async function readCounts(read: Reader, path: string, requests: ColumnRequest[]): Promise<ReadResult> {
  try {
    return await read(path, requests)
  } catch (e) {
    if (e instanceof InputError && /is negative; weights must be >= 0/.test(e.detail)) {
      const v = e.detail.replace(/ is negative; weights must be >= 0.*$/, '')
      throw new InputError({file: e.file, line: e.line, column: e.column}, `${v} is negative; "${e.column}" is a count or amount in a ratio metric (or a stats sum) and must be >= 0`)
    }
    throw e
  }
}

/** The analysis options every input shares, after checking the flags they come from. */
export function analysisOptions(f: AbFlags, covs: Map<string, string>): Omit<AbOptions, 'file' | 'control'> {
  if (!(f.alpha > 0 && f.alpha < 1)) throw new UsageError(`--alpha must be between 0 and 1, not ${f.alpha}`)
  if (!(f.power > 0 && f.power < 1)) throw new UsageError(`--power must be between 0 and 1, not ${f.power}`)
  if (!(f.tuning > 0)) throw new UsageError(`--sequential-tuning must be > 0, not ${f.tuning}`)
  if (f.correction !== undefined && !['none', 'holm', 'bh'].includes(f.correction)) throw new UsageError(`--correction must be none, holm or bh, not "${f.correction}"`)
  if (!['welch', 'paired-days'].includes(f.method)) throw new UsageError(`--method must be welch or paired-days, not "${f.method}"`)
  const split = f.expectedSplit !== undefined ? parseSplit(f.expectedSplit) : undefined
  return {
    alpha: f.alpha,
    correction: f.correction,
    expectedSplit: split,
    method: f.method,
    sequential: f.sequential ? f.tuning : undefined,
    cuped: new Set(covs.keys()),
    power: f.power,
  }
}

/** What unit-level input needs: the parsed metrics, covariates and caps, and the columns to read. */
export interface UnitPlan {
  metrics: MetricDef[]
  /** metric -> covariate column */
  covs: Map<string, string>
  caps: CapRule[]
  /** arm, [unit], [day], then every metric and covariate column (the row reader's requests) */
  requests: ColumnRequest[]
  /** numerator and denominator columns, distinct */
  valueCols: string[]
  /** covariate columns, distinct */
  covCols: string[]
}

export function unitPlan(f: AbFlags): UnitPlan {
  const covs = parseCovariates(f.covariate, false)
  const metrics: MetricDef[] = parseMetrics(f.metric)
  for (const m of covs.keys()) if (!metrics.some((x) => x.name === m)) throw new UsageError(`--covariate "${m}=...": no --metric named "${m}"`)
  const caps = f.cap.map(parseCap)
  const requests: ColumnRequest[] = [{role: 'arm', flag: '--arm', name: f.arm, defaults: ARM_DEFAULTS, kind: 'key'}]
  if (f.unit) requests.push({role: 'unit', flag: '--unit', name: f.unit, kind: 'key'})
  if (f.day) requests.push({role: 'day', flag: '--day', name: f.day, kind: 'key'})
  const valueCols: string[] = []
  for (const m of metrics) {
    for (const c of m.den ? [m.num, m.den] : [m.num]) {
      requests.push({role: `column of metric "${m.name}"`, flag: '--metric', name: c, kind: 'float', nonNegative: m.den !== null})
      if (!valueCols.includes(c)) valueCols.push(c)
    }
  }
  const covCols: string[] = []
  for (const [m, c] of covs) {
    requests.push({role: `covariate of metric "${m}"`, flag: '--covariate', name: c, kind: 'float'})
    if (!covCols.includes(c)) covCols.push(c)
  }
  return {metrics, covs, caps, requests, valueCols, covCols}
}

/** The control arm without --control: "control" when there is such an arm. */
export function defaultControl(f: AbFlags, arms: readonly string[]): string {
  if (f.control !== undefined) return f.control
  if (arms.includes('control')) return 'control'
  throw new UsageError(`give --control NAME (the control arm); the arms are: ${arms.map((a) => JSON.stringify(a)).join(', ')}`)
}

export async function runAb(f: AbFlags, read: Reader): Promise<AbResult> {
  const stats = f.stats !== undefined && f.stats.length > 0
  if (stats && f.file) throw new UsageError('give either FILE (unit rows) or --stats FILE... (aggregated statistics), not both')
  if (!stats && !f.file) throw new UsageError('give FILE (one row per unit) or --stats FILE...')
  if (stats) {
    const covs = parseCovariates(f.covariate, true)
    const common = analysisOptions(f, covs)
    if (f.cap.length > 0) throw new UsageError('--cap needs unit-level rows; with --stats, cap in the query that computes the statistics')
    if (f.unit) throw new UsageError('--unit does not apply to --stats (the statistics are already per unit)')
    const select = f.metric.map((t) => (t.includes('=') ? parseMetric(t).name : t.trim()))
    const control = f.control ?? 'control'
    const files = f.stats as string[]
    const s = await statsData({files, armColumn: f.arm, dayColumn: f.day, control, select, covariates: new Set(covs.keys()), secondMomentsOptional: f.method === 'paired-days', read: (p, r) => readCounts(read, p, r)})
    const file = files.join(', ')
    const analysis = analyzeAb(s.data, {file, control, ...common})
    if (f.metric.some((t) => t.includes('='))) analysis.notes.push('--stats: the sums come from the stats file; the expressions given with --metric only select metrics by name')
    const units = Object.values(analysis.arms).reduce((t, a) => t + a.units, 0)
    return {file: null, stats_files: files, rows: s.rows, dropped_rows: s.dropped, units, ...analysis}
  }
  const file = f.file as string
  const plan = unitPlan(f)
  const {metrics, covs, caps, requests, valueCols, covCols} = plan
  const common = analysisOptions(f, covs)
  const {table, names} = await readCounts(read, file, requests)
  const arm = keyColumn(table, names[0] as string)
  const control = defaultControl(f, arm.dict.values)
  const {data, capping, units} = unitData({
    file,
    rows: table.rows,
    arm,
    unit: f.unit ? keyColumn(table, f.unit) : undefined,
    day: f.day ? keyColumn(table, f.day) : undefined,
    columns: new Map(valueCols.map((c) => [c, floatColumn(table, c)])),
    metrics,
    covariates: covs,
    covariateColumns: new Map(covCols.map((c) => [c, floatColumn(table, c)])),
    caps,
    control,
  })
  const analysis = analyzeAb(data, {file, control, ...common})
  return {file, rows: table.rows, dropped_rows: table.dropped, units, ...analysis, ...(caps.length ? {capping} : {})}
}

export {DEFAULT_TUNING}
