import {UsageError} from '../cli/errors.js'
import {ColumnRequest, floatColumn, keyColumn, ReadResult} from '../io/index.js'
import {ratioOf, unitVariance} from '../stats/delta-method.js'
import {groupMoments} from '../stats/moments.js'
import {relativeMde, unitsPerArm} from '../stats/power.js'
import {parseMetric} from './metric-expr.js'

/**
 * `receval power`: units per arm (and days, given daily traffic) to detect a relative change at a
 * given power, for a metric given by its baseline mean and per-unit variance, or estimated from a
 * historical unit-level file (the mean R = sum(NUM)/sum(DEN) and the delta-method per-unit
 * variance of the linearized ratio, as `receval ab` uses them). With k arms (one control) every
 * treatment is compared with the control at alpha / (k - 1) (Bonferroni), allocation is equal.
 */

export interface PowerFlags {
  file?: string
  metric?: string
  unit?: string
  day?: string
  mean?: number
  variance?: number
  sd?: number
  mde: number[]
  units: number[]
  alpha: number
  power: number
  arms: number
  dailyUnits?: number
}

export interface PowerPlan {
  /** relative change to detect (0.02 = 2%) */
  mde: number
  /** the same in metric units: mde * mean */
  mde_absolute: number
  units_per_arm: number
  units_total: number
  /** units_total / daily_units, rounded up; null without daily traffic */
  days: number | null
}

export interface PowerResult {
  metric: {name: string | null; expr: string | null; mean: number; variance: number; sd: number; source: 'given' | 'file'; file: string | null; units: number | null; days_in_file: number | null}
  alpha: number
  power: number
  arms: number
  comparisons: number
  correction: 'bonferroni' | 'none'
  alpha_per_comparison: number
  daily_units: number | null
  daily_units_source: 'given' | 'file' | null
  plans: PowerPlan[]
  notes: string[]
}

type Reader = (path: string, requests: ColumnRequest[]) => Promise<ReadResult>

async function fromFile(f: PowerFlags, read: Reader): Promise<{name: string; expr: string; mean: number; variance: number; units: number; days: number | null}> {
  if (!f.metric) throw new UsageError('with a historical FILE, give --metric NAME=EXPR (e.g. ctr=clicks/impressions)')
  const m = parseMetric(f.metric)
  const requests: ColumnRequest[] = [{role: 'numerator', flag: '--metric', name: m.num, kind: 'float', nonNegative: m.den !== null}]
  if (m.den) requests.push({role: 'denominator', flag: '--metric', name: m.den, kind: 'float', nonNegative: true})
  if (f.unit) requests.push({role: 'unit', flag: '--unit', name: f.unit, kind: 'key'})
  if (f.day) requests.push({role: 'day', flag: '--day', name: f.day, kind: 'key'})
  const {table} = await read(f.file as string, requests)
  let y = floatColumn(table, m.num)
  let x = m.den ? floatColumn(table, m.den) : null
  let group: Int32Array
  if (f.unit) {
    const u = keyColumn(table, f.unit)
    const U = u.dict.size
    const ys = new Float64Array(U)
    const xs = x ? new Float64Array(U) : null
    group = new Int32Array(U).fill(-1)
    for (let i = 0; i < table.rows; i++) {
      const id = u.data[i]
      group[id] = 0
      ys[id] += y[i]
      if (xs && x) xs[id] += x[i]
    }
    y = ys
    x = xs
  } else group = new Int32Array(table.rows)
  const mo = groupMoments(group, 1, y, m.scale, x, null)[0]
  if (mo.n < 2) throw new UsageError(`${f.file}: ${mo.n} unit; estimating a variance needs at least 2`)
  if (mo.sumX === 0) throw new UsageError(`${f.file}: the sum of "${m.den}" is 0, so metric "${m.name}" is undefined`)
  let days: number | null = null
  if (f.day) {
    const d = keyColumn(table, f.day)
    const seen = new Uint8Array(d.dict.size)
    for (let i = 0; i < table.rows; i++) seen[d.data[i]] = 1
    days = seen.reduce((s, v) => s + v, 0)
  }
  return {name: m.name, expr: m.expr, mean: ratioOf(mo), variance: unitVariance(mo), units: mo.n, days}
}

export async function runPower(f: PowerFlags, read: Reader): Promise<PowerResult> {
  if (!(f.alpha > 0 && f.alpha < 1)) throw new UsageError(`--alpha must be between 0 and 1, not ${f.alpha}`)
  if (!(f.power > 0 && f.power < 1)) throw new UsageError(`--power must be between 0 and 1, not ${f.power}`)
  if (!Number.isInteger(f.arms) || f.arms < 2) throw new UsageError(`--arms must be a whole number >= 2 (the control and at least one treatment), not ${f.arms}`)
  if (f.mde.length === 0 && f.units.length === 0) throw new UsageError('give --mde (relative changes to detect, e.g. 0.02 or 2%) or --units-per-arm (to get the detectable change)')
  for (const d of f.mde) if (!(d > 0) || !Number.isFinite(d)) throw new UsageError(`--mde must be > 0, not ${d}`)
  for (const u of f.units) if (!(u >= 2) || !Number.isFinite(u)) throw new UsageError(`--units-per-arm must be >= 2, not ${u}`)
  if (f.dailyUnits !== undefined && !(f.dailyUnits > 0)) throw new UsageError(`--daily-units must be > 0, not ${f.dailyUnits}`)
  const notes: string[] = []
  let metric: PowerResult['metric']
  let dailyUnits = f.dailyUnits ?? null
  let dailySource: PowerResult['daily_units_source'] = f.dailyUnits !== undefined ? 'given' : null
  if (f.file) {
    if (f.mean !== undefined || f.variance !== undefined || f.sd !== undefined) throw new UsageError('give either a historical FILE or --mean with --variance (or --sd), not both')
    const e = await fromFile(f, read)
    metric = {name: e.name, expr: e.expr, mean: e.mean, variance: e.variance, sd: Math.sqrt(e.variance), source: 'file', file: f.file, units: e.units, days_in_file: e.days}
    if (dailyUnits === null && e.days !== null) {
      dailyUnits = e.units / e.days
      dailySource = 'file'
      notes.push(`daily units estimated as ${e.units} units / ${e.days} days in ${f.file}; returning users make a longer experiment reach fewer new units per day`)
    }
  } else {
    if (f.mean === undefined) throw new UsageError('give a historical FILE with --metric, or the baseline --mean and --variance (or --sd) per unit')
    if (f.variance !== undefined && f.sd !== undefined) throw new UsageError('give --variance or --sd, not both')
    const variance = f.variance ?? (f.sd !== undefined ? f.sd * f.sd : undefined)
    if (variance === undefined) throw new UsageError(`give --variance (or --sd) per unit along with --mean; for a conversion rate p it is p(1-p)${f.mean > 0 && f.mean < 1 ? ` = ${f.mean * (1 - f.mean)}` : ''}`)
    if (!(variance > 0)) throw new UsageError(`the variance must be > 0, not ${variance}`)
    if (f.mean === 0 || !Number.isFinite(f.mean)) throw new UsageError('--mean must be a non-zero number (the MDE is relative to it)')
    metric = {name: f.metric ?? null, expr: null, mean: f.mean, variance, sd: Math.sqrt(variance), source: 'given', file: null, units: null, days_in_file: null}
  }
  const comparisons = f.arms - 1
  const base = {mean: metric.mean, variance: metric.variance, alpha: f.alpha, power: f.power, comparisons}
  const plan = (mde: number, perArm: number): PowerPlan => {
    const total = perArm * f.arms
    return {mde, mde_absolute: mde * Math.abs(metric.mean), units_per_arm: perArm, units_total: total, days: dailyUnits !== null ? Math.ceil(total / dailyUnits) : null}
  }
  const plans: PowerPlan[] = [...f.mde.map((d) => plan(d, Math.ceil(unitsPerArm({...base, mde: d})))), ...f.units.map((n) => plan(relativeMde({...base, unitsPerArm: n}), n))]
  return {
    metric,
    alpha: f.alpha,
    power: f.power,
    arms: f.arms,
    comparisons,
    correction: comparisons > 1 ? 'bonferroni' : 'none',
    alpha_per_comparison: f.alpha / comparisons,
    daily_units: dailyUnits,
    daily_units_source: dailySource,
    plans,
    notes,
  }
}
