import {InputError, UsageError} from '../cli/errors.js'
import {cupedAdjusted, cupedTheta, pooledCovariateMean} from '../stats/cuped.js'
import {ratioOf, ratioVariance} from '../stats/delta-method.js'
import {Moments} from '../stats/moments.js'
import {adjustPValues, Correction} from '../stats/multiple-testing.js'
import {pairedDays} from '../stats/paired.js'
import {confidenceSequence, DEFAULT_TUNING} from '../stats/sequential.js'
import {srmTest} from '../stats/srm.js'
import {Comparison, welchCompare} from '../stats/two-sample.js'
import {AbData, MetricInfo, Scope} from './data.js'

/**
 * The analysis of `receval ab` (shared/spec/cli.md), on moments per arm from any input:
 *
 * 1. check the arms: at least two, every arm with 2+ units, the control among them
 * 2. SRM: Pearson chi-square of units per arm against the expected split
 * 3. per metric and treatment arm: ratio and delta-method variance per arm (CUPED-adjusted when
 *    asked), Welch t-test of the difference, lift with its delta-method interval, prob_better and
 *    MDE (src/stats/two-sample.ts); or the paired t-test over days (--method paired-days);
 *    always-valid intervals and p-values with --sequential
 * 4. adjust the p-values over all (metric, arm) results (holm by default when there are several)
 * 5. the same comparison for every day and every cumulative day, without adjustment
 */

export type Method = 'welch' | 'paired-days'

export interface AbOptions {
  /** the input, for error messages */
  file: string
  control: string
  alpha: number
  /** undefined: holm when there is more than one (metric, arm) result, else none */
  correction?: Correction
  /** arm -> share (any scale); default equal shares */
  expectedSplit?: Map<string, number>
  method: Method
  /** the tuning parameter N* with --sequential */
  sequential?: number
  /** metrics to adjust with their covariate */
  cuped: Set<string>
  /** power for the MDE (0.8) */
  power?: number
}

export interface CupedInfo {
  covariate: string | null
  theta: number
  /** 1 - Var(delta with CUPED) / Var(delta without) */
  variance_reduction: number | null
  control_adjusted: number
  treatment_adjusted: number
}

export interface ResultRow {
  metric: string
  arm: string
  /** the metric in the control arm (sum of numerator / sum of denominator) */
  control: number | null
  treatment: number | null
  delta: number | null
  delta_ci: [number, number] | null
  lift: number | null
  lift_ci: [number, number] | null
  p_value: number | null
  p_adjusted?: number | null
  significant?: boolean
  se: number | null
  lift_se: number | null
  df: number | null
  prob_better: number | null
  mde: number | null
  mde_lift: number | null
  units_control: number
  units_treatment: number
  /** paired-days: the days the test used */
  days?: number
  cuped?: CupedInfo
  /** with --sequential: the fixed-horizon values the always-valid ones replace */
  fixed_horizon?: {p_value: number | null; delta_ci: [number, number] | null; lift_ci: [number, number] | null}
}

export interface DayRow extends ResultRow {
  day: string
}

export interface AbAnalysis {
  arms: Record<string, {units: number}>
  control: string
  alpha: number
  correction: Correction
  method: Method
  sequential: {method: 'asymptotic-confidence-sequence'; tuning: number} | null
  metrics: Record<string, Omit<MetricInfo, 'name'>>
  srm: {chi2: number; df: number; p_value: number; mismatch: boolean; expected_shares: Record<string, number>}
  results: ResultRow[]
  days?: string[]
  daily?: DayRow[]
  cumulative?: DayRow[]
  notes: string[]
}

const SRM_THRESHOLD = 0.001

export function analyzeAb(data: AbData, o: AbOptions): AbAnalysis {
  const notes = [...data.notes]
  const arms = data.arms
  const power = o.power ?? 0.8
  // 1. arms
  const ci = arms.indexOf(o.control)
  if (ci < 0) throw new UsageError(`--control "${o.control}" is not an arm; the arms are: ${arms.map((a) => JSON.stringify(a)).join(', ')}`)
  if (ci !== 0) throw new Error('the control must be the first arm')
  if (arms.length < 2) throw new InputError({file: o.file}, `only one arm ("${arms[0]}"); an A/B test needs a control and at least one treatment arm`)
  if (o.method === 'paired-days' && !data.days) throw new UsageError('--method paired-days needs --day COL')
  if (o.method === 'paired-days' && o.sequential !== undefined) throw new UsageError('--sequential works with the unit-level test, not with --method paired-days')
  if (o.method === 'paired-days' && o.cuped.size > 0) throw new UsageError('--covariate (CUPED) works with the unit-level test, not with --method paired-days')
  if (o.method === 'welch' && (!data.overall || !data.secondMoments)) {
    throw new InputError({file: o.file}, data.secondMoments ? 'the stats file has daily rows only; the overall test needs cumulative rows (cumulative = 1) or --method paired-days' : 'the stats file has no num_sum_sq, den_sum_sq, num_den_sum columns; the unit-level test needs them (--method paired-days needs only the sums)')
  }
  const units = data.overall ? data.overall.units : sumDaily(data.daily ?? [], arms.length)
  if (!data.overall) notes.push('units per arm are unit-days (the sum of daily units): the stats file has no cumulative rows')
  arms.forEach((a, i) => {
    if (units[i] < 2) throw new InputError({file: o.file}, `arm "${a}" has ${units[i]} unit${units[i] === 1 ? '' : 's'}; every arm needs at least 2`)
  })
  // 2. SRM
  const shares = arms.map((a) => {
    if (!o.expectedSplit) return 1
    const s = o.expectedSplit.get(a)
    if (s === undefined) throw new UsageError(`--expected-split has no share for arm "${a}"; give one for every arm (${arms.join(', ')})`)
    return s
  })
  if (o.expectedSplit) for (const k of o.expectedSplit.keys()) if (!arms.includes(k)) throw new UsageError(`--expected-split names "${k}", which is not an arm; the arms are: ${arms.join(', ')}`)
  const srm = srmTest(units, shares, SRM_THRESHOLD)
  const shareSum = shares.reduce((s, x) => s + x, 0)
  if (srm.mismatch) notes.push(`sample ratio mismatch: units per arm ${arms.map((a, i) => `${a}=${units[i]}`).join(', ')} differ from the expected split (chi2 ${srm.chi2.toPrecision(4)}, p ${srm.p_value.toPrecision(3)}); check assignment and logging before trusting any result`)

  // 3. results
  const ctx: Ctx = {o, arms, notes, power, metrics: data.metrics}
  const results: ResultRow[] = []
  for (const m of data.metrics) {
    if (o.method === 'paired-days') {
      for (let a = 1; a < arms.length; a++) results.push(pairedRow(ctx, data, m.name, a))
    } else {
      for (let a = 1; a < arms.length; a++) results.push(compareInScope(ctx, data.overall as Scope, m.name, a, 'overall', true))
    }
  }
  // 4. adjust
  const correction: Correction = o.correction ?? (results.length > 1 ? 'holm' : 'none')
  const adj = adjustPValues(results.map((r) => r.p_value), correction)
  results.forEach((r, i) => {
    r.p_adjusted = adj[i]
    r.significant = adj[i] !== null && (adj[i] as number) < o.alpha
  })

  // 5. days
  let daily: DayRow[] | undefined
  let cumulative: DayRow[] | undefined
  if (data.days) {
    daily = []
    cumulative = []
    const days = data.days
    for (const [list, scopes, kind] of [
      [daily, data.daily, 'day'],
      [cumulative, data.cumulative, 'cumulative'],
    ] as const) {
      if (!scopes) continue
      scopes.forEach((scope, d) => {
        if (!scope) return
        for (const m of data.metrics) {
          for (let a = 1; a < arms.length; a++) {
            // daily sums without second moments (paired-days input) give values but no test
            const row = data.secondMoments ? compareInScope(ctx, scope, m.name, a, `${kind} ${days[d]}`, false, kind === 'cumulative') : valuesOnly(scope, m.name, a, arms[a])
            delete row.p_adjusted
            delete row.significant
            list.push({day: days[d], ...row})
          }
        }
      })
    }
    if (cumulative.length === 0) cumulative = undefined
  }
  const metrics: Record<string, Omit<MetricInfo, 'name'>> = {}
  for (const m of data.metrics) {
    const {name, ...rest} = m
    metrics[name] = rest
  }
  return {
    arms: Object.fromEntries(arms.map((a, i) => [a, {units: units[i]}])),
    control: o.control,
    alpha: o.alpha,
    correction,
    method: o.method,
    sequential: o.sequential !== undefined ? {method: 'asymptotic-confidence-sequence', tuning: o.sequential} : null,
    metrics,
    srm: {chi2: srm.chi2, df: srm.df, p_value: srm.p_value, mismatch: srm.mismatch, expected_shares: Object.fromEntries(arms.map((a, i) => [a, shares[i] / shareSum]))},
    results,
    ...(data.days ? {days: data.days, daily, cumulative} : {}),
    notes: dedupe(notes),
  }
}

interface Ctx {
  o: AbOptions
  arms: string[]
  notes: string[]
  power: number
  metrics: MetricInfo[]
}

function sumDaily(scopes: readonly (Scope | null)[], arms: number): number[] {
  const out = new Array<number>(arms).fill(0)
  for (const s of scopes) if (s) s.units.forEach((u, i) => (out[i] += u))
  return out
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)]
}

function emptyRow(metric: string, arm: string, mc: Moments | undefined, mt: Moments | undefined): ResultRow {
  return {
    metric,
    arm,
    control: mc && mc.sumX !== 0 ? ratioOf(mc) : null,
    treatment: mt && mt.sumX !== 0 ? ratioOf(mt) : null,
    delta: null,
    delta_ci: null,
    lift: null,
    lift_ci: null,
    p_value: null,
    p_adjusted: null,
    significant: false,
    se: null,
    lift_se: null,
    df: null,
    prob_better: null,
    mde: null,
    mde_lift: null,
    units_control: mc?.n ?? 0,
    units_treatment: mt?.n ?? 0,
  }
}

/** Undefined pieces of a daily comparison are null with a note; in the overall scope they are input errors. */
function undefinedHere(ctx: Ctx, strict: boolean, what: string, column?: string): void {
  if (strict) throw new InputError({file: ctx.o.file, column}, what)
  ctx.notes.push(what)
}

function compareInScope(ctx: Ctx, scope: Scope, metric: string, a: number, where: string, strict: boolean, sequentialHere = strict): ResultRow {
  const {o, arms} = ctx
  const per = scope.moments.get(metric) as Moments[]
  const mc = per[0]
  const mt = per[a]
  const row = emptyRow(metric, arms[a], mc, mt)
  const info = ctx.metrics.find((m) => m.name === metric)
  for (const [m, arm] of [
    [mc, arms[0]],
    [mt, arms[a]],
  ] as const) {
    if (m.n < 2) {
      undefinedHere(ctx, strict, `${where}: arm "${arm}" has ${m.n} unit${m.n === 1 ? '' : 's'}; metric "${metric}" needs at least 2 per arm`)
      return row
    }
    if (m.sumX === 0) {
      undefinedHere(ctx, strict, `${where}: metric "${metric}": the sum of ${info?.denominator ? `"${info.denominator}"` : 'the denominator'} is 0 in arm "${arm}", so the ratio is undefined`, info?.denominator ?? undefined)
      return row
    }
  }
  let c = {value: ratioOf(mc), variance: ratioVariance(mc), n: mc.n}
  let t = {value: ratioOf(mt), variance: ratioVariance(mt), n: mt.n}
  let cuped: CupedInfo | undefined
  if (o.cuped.has(metric)) {
    const all = per.filter((m) => m.n >= 2 && m.sumX !== 0)
    const theta = cupedTheta(all)
    const zAll = pooledCovariateMean(all)
    const ac = cupedAdjusted(mc, theta, zAll)
    const at = cupedAdjusted(mt, theta, zAll)
    const before = c.variance + t.variance
    const after = ac.variance + at.variance
    cuped = {covariate: info?.covariate ?? null, theta, variance_reduction: before > 0 ? 1 - after / before : null, control_adjusted: ac.value, treatment_adjusted: at.value}
    c = {value: ac.value, variance: ac.variance, n: mc.n}
    t = {value: at.value, variance: at.variance, n: mt.n}
  }
  const cmp = welchCompare(c, t, o.alpha, ctx.power)
  if (cmp.p_value === null) ctx.notes.push(`${where}: metric "${metric}", arm "${arms[a]}": both arms have zero variance, so there is no test`)
  if (cmp.lift === null) ctx.notes.push(`${where}: metric "${metric}": the control value is 0, so the lift is undefined`)
  fill(row, cmp)
  if (cuped) row.cuped = cuped
  if (o.sequential !== undefined && sequentialHere && cmp.p_value !== null) {
    const tuning = o.sequential ?? DEFAULT_TUNING
    const n = mc.n + mt.n
    const cs = confidenceSequence(cmp.delta, cmp.se * cmp.se, n, o.alpha, tuning)
    row.fixed_horizon = {p_value: row.p_value, delta_ci: row.delta_ci, lift_ci: row.lift_ci}
    row.p_value = cs.p_value
    row.delta_ci = cs.ci
    row.lift_ci = cmp.lift !== null && cmp.lift_se !== null ? confidenceSequence(cmp.lift, cmp.lift_se * cmp.lift_se, n, o.alpha, tuning).ci : null
  }
  return row
}

function fill(row: ResultRow, cmp: Comparison): void {
  row.delta = cmp.delta
  row.delta_ci = cmp.delta_ci
  row.lift = cmp.lift
  row.lift_ci = cmp.lift_ci
  row.p_value = cmp.p_value
  row.se = cmp.se
  row.lift_se = cmp.lift_se
  row.df = cmp.df
  row.prob_better = cmp.prob_better
  row.mde = cmp.mde
  row.mde_lift = cmp.mde_lift
}

function valuesOnly(scope: Scope, metric: string, a: number, arm: string): ResultRow {
  const per = scope.moments.get(metric) as Moments[]
  const row = emptyRow(metric, arm, per[0], per[a])
  if (row.control !== null && row.treatment !== null) {
    row.delta = row.treatment - row.control
    row.lift = row.control !== 0 ? row.treatment / row.control - 1 : null
  }
  return row
}

function pairedRow(ctx: Ctx, data: AbData, metric: string, a: number): ResultRow {
  const {arms, o} = ctx
  const days = data.days as string[]
  const cs: number[] = []
  const ts: number[] = []
  data.daily?.forEach((scope, d) => {
    const per = scope?.moments.get(metric)
    const mc = per?.[0]
    const mt = per?.[a]
    if (!mc || !mt || mc.n === 0 || mt.n === 0 || mc.sumX === 0 || mt.sumX === 0) {
      ctx.notes.push(`paired-days: day ${days[d]} has no ${metric} value for arm "${!mc || mc.n === 0 || mc.sumX === 0 ? arms[0] : arms[a]}" and is left out of the paired test`)
      return
    }
    cs.push(ratioOf(mc))
    ts.push(ratioOf(mt))
  })
  const total = data.overall ? data.overall.units : sumDaily(data.daily ?? [], arms.length)
  const row = emptyRow(metric, arms[a], undefined, undefined)
  row.units_control = total[0]
  row.units_treatment = total[a]
  row.days = cs.length
  if (cs.length < 2) throw new InputError({file: o.file}, `--method paired-days: metric "${metric}" has ${cs.length} day${cs.length === 1 ? '' : 's'} with both arms "${arms[0]}" and "${arms[a]}"; the paired test needs at least 2`)
  const r = pairedDays(Float64Array.from(cs), Float64Array.from(ts), o.alpha, ctx.power)
  fill(row, r)
  row.control = cs.reduce((s, x) => s + x, 0) / cs.length
  row.treatment = ts.reduce((s, x) => s + x, 0) / ts.length
  if (r.p_value === null) ctx.notes.push(`paired-days: metric "${metric}", arm "${arms[a]}": the daily differences have zero variance, so there is no test`)
  return row
}
