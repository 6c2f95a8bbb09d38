import {InputError, UsageError} from '../cli/errors.js'
import type {KeyColumn} from '../io/index.js'
import {metricMoments} from '../stats/moments.js'
import {quantileLinear} from '../stats/quantile.js'
import {AbData, MetricInfo, Scope, sortedLabels} from './data.js'
import {MetricDef} from './metric-expr.js'

/**
 * From unit-level rows (typed columns) to the moments `analyzeAb` needs, in a few passes over
 * typed arrays and without allocating per row:
 *
 * 1. arms: the distinct values of the arm column, control first, the others sorted
 * 2. units: without --unit each row is a unit; with --unit, rows sharing (arm, unit) are summed
 *    (a unit seen in two arms becomes two units, and is reported)
 * 3. capping: each --cap column is capped at its threshold (a percentile of the unit values over
 *    all arms, or an absolute value) after step 2
 * 4. moments per arm for every metric; with --day also per day (a unit's rows on that day) and
 *    cumulatively (its rows up to that day), capped with the same thresholds
 */

/** `--cap COL=P99.9` (a percentile of the unit values) or `--cap COL=500` (an absolute value). */
export interface CapRule {
  column: string
  rule: string
  percentile?: number
  value?: number
}

export interface CapInfo {
  column: string
  /** as given: "P99.9" or "500" */
  rule: string
  /** the value units were capped at */
  threshold: number
  /** units whose value was above the threshold (overall scope) */
  units_capped: number
  share_capped: number
}

export interface UnitInput {
  file: string
  rows: number
  arm: KeyColumn
  unit?: KeyColumn
  day?: KeyColumn
  /** every numerator / denominator column, by name */
  columns: Map<string, Float64Array>
  metrics: MetricDef[]
  /** metric -> covariate column */
  covariates: Map<string, string>
  /** covariate columns, by name */
  covariateColumns: Map<string, Float64Array>
  caps: CapRule[]
  control: string
}

export interface UnitResult {
  data: AbData
  capping: CapInfo[]
  units: number
}

/**
 * Parse one `--cap COL=P99.9|VALUE`.
 * @example parseCap('revenue=P99.9') // {column: 'revenue', rule: 'P99.9', percentile: 99.9}
 */
export function parseCap(text: string): CapRule {
  const eq = text.lastIndexOf('=')
  const bad = (why: string) => new UsageError(`--cap "${text}": ${why}; expected COL=P99.9 (a percentile) or COL=500 (an absolute cap)`)
  if (eq <= 0) throw bad('no "COL="')
  const column = text.slice(0, eq).trim()
  const rule = text.slice(eq + 1).trim()
  if (/^[pP]/.test(rule)) {
    const p = Number(rule.slice(1))
    if (!(p > 0 && p < 100) || rule.length < 2) throw bad(`"${rule}" is not a percentile between P0 and P100 (exclusive)`)
    return {column, rule, percentile: p}
  }
  const v = Number(rule)
  if (rule === '' || !Number.isFinite(v)) throw bad(`"${rule}" is not a number or a percentile`)
  return {column, rule, value: v}
}

/** Distinct ids used in `data` (dictionary ids of dropped rows are not). */
function usedIds(data: Int32Array, size: number): Uint8Array {
  const used = new Uint8Array(size)
  for (let i = 0; i < data.length; i++) used[data[i]] = 1
  return used
}

/** An empty arm, unit or day would silently become one more arm, one shared unit or one more day. */
function rejectEmptyKeys(file: string, col: KeyColumn, role: string): void {
  const empty = col.dict.lookup('')
  if (empty < 0) return
  let count = 0
  for (let i = 0; i < col.data.length; i++) if (col.data[i] === empty) count++
  if (count > 0) throw new InputError({file, column: col.name}, `${count} row${count === 1 ? ' has' : 's have'} an empty ${role}; fill them in or filter them out`)
}

export function unitData(inp: UnitInput): UnitResult {
  const notes: string[] = []
  const n = inp.rows
  rejectEmptyKeys(inp.file, inp.arm, 'arm')
  if (inp.unit) rejectEmptyKeys(inp.file, inp.unit, 'unit')
  if (inp.day) rejectEmptyKeys(inp.file, inp.day, 'day')
  // 1. arms
  const armDict = inp.arm.dict
  // every dictionary arm gets an index, the control first and the others by name, so one pass
  // both remaps and counts; arms seen only on dropped rows have no units and are left out at the end
  const controlId = armDict.lookup(inp.control)
  const others = armDict.values.map((_, id) => id).filter((id) => id !== controlId).sort((a, b) => (armDict.values[a] < armDict.values[b] ? -1 : 1))
  const order = controlId >= 0 ? [controlId, ...others] : others
  const A = order.length
  const armIndex = new Int32Array(armDict.size)
  order.forEach((id, i) => (armIndex[id] = i))
  const armOfRow = inp.arm.data
  const rowsPerArm = new Float64Array(A)
  for (let i = 0; i < n; i++) {
    const a = armIndex[armOfRow[i]]
    armOfRow[i] = a
    rowsPerArm[a]++
  }
  if (controlId < 0 || rowsPerArm[0] === 0) {
    const present = order.filter((_, i) => rowsPerArm[i] > 0).map((id) => JSON.stringify(armDict.values[id]))
    throw new UsageError(`--control "${inp.control}" is not an arm; the arms in ${inp.file} are: ${present.join(', ')}`)
  }
  const arms = order.map((id) => armDict.values[id])

  // 2. units
  const valueNames = [...inp.columns.keys()]
  const covNames = [...inp.covariateColumns.keys()]
  let group: Int32Array
  let values: Map<string, Float64Array>
  let covs: Map<string, Float64Array>
  let slotOfRow: Int32Array | null = null
  let slots: number
  if (inp.unit) {
    const u = inp.unit
    const U = u.dict.size
    const unitArm = new Int32Array(U).fill(-1)
    slotOfRow = new Int32Array(n)
    const extra = new Map<number, number>()
    const extraArm: number[] = []
    let multi = 0
    const multiUnits = new Set<number>()
    for (let i = 0; i < n; i++) {
      const id = u.data[i]
      const a = armOfRow[i]
      const cur = unitArm[id]
      if (cur === a) slotOfRow[i] = id
      else if (cur < 0) {
        unitArm[id] = a
        slotOfRow[i] = id
      } else {
        const key = id * A + a
        let s = extra.get(key)
        if (s === undefined) {
          s = U + extraArm.length
          extra.set(key, s)
          extraArm.push(a)
          if (!multiUnits.has(id)) {
            multiUnits.add(id)
            multi++
          }
        }
        slotOfRow[i] = s
      }
    }
    slots = U + extraArm.length
    group = new Int32Array(slots)
    group.set(unitArm)
    for (let k = 0; k < extraArm.length; k++) group[U + k] = extraArm[k]
    if (multi > 0) notes.push(`${multi} unit${multi === 1 ? '' : 's'} (e.g. "${u.dict.values[multiUnits.values().next().value as number]}") appear${multi === 1 ? 's' : ''} in more than one arm; each (arm, unit) is analysed as its own unit, but randomization by unit should never do this: check the assignment`)
    values = new Map()
    for (const name of valueNames) {
      const src = inp.columns.get(name) as Float64Array
      const dst = new Float64Array(slots)
      for (let i = 0; i < n; i++) dst[slotOfRow[i]] += src[i]
      values.set(name, dst)
    }
    covs = new Map()
    for (const name of covNames) {
      const src = inp.covariateColumns.get(name) as Float64Array
      const dst = new Float64Array(slots)
      const seen = new Uint8Array(slots)
      for (let i = 0; i < n; i++) {
        const s = slotOfRow[i]
        if (!seen[s]) {
          seen[s] = 1
          dst[s] = src[i]
        } else if (dst[s] !== src[i]) {
          const key = u.dict.values[u.data[i]]
          throw new InputError({file: inp.file, column: name}, `unit "${key}" has different covariate values (${dst[s]} and ${src[i]}) on its rows; a covariate is one pre-period value per unit, repeated on each of its rows`)
        }
      }
      covs.set(name, dst)
    }
  } else {
    slots = n
    group = armOfRow
    values = inp.columns
    covs = inp.covariateColumns
  }

  // 3. capping (thresholds from the unit values of all arms)
  const capping: CapInfo[] = []
  const thresholds = new Map<string, number>()
  for (const cap of inp.caps) {
    const col = values.get(cap.column) ?? covs.get(cap.column)
    if (!col) throw new UsageError(`--cap "${cap.column}=${cap.rule}": "${cap.column}" is not a column of any --metric or --covariate`)
    let threshold: number
    if (cap.percentile !== undefined) {
      let live = col
      if (inp.unit) {
        let k = 0
        for (let s = 0; s < slots; s++) if (group[s] >= 0) k++
        live = new Float64Array(k)
        k = 0
        for (let s = 0; s < slots; s++) if (group[s] >= 0) live[k++] = col[s]
      }
      threshold = quantileLinear(live, cap.percentile / 100)
    } else threshold = cap.value as number
    let capped = 0
    let total = 0
    for (let s = 0; s < slots; s++) {
      if (group[s] < 0) continue
      total++
      if (col[s] > threshold) {
        col[s] = threshold
        capped++
      }
    }
    thresholds.set(cap.column, threshold)
    capping.push({column: cap.column, rule: cap.rule, threshold, units_capped: capped, share_capped: total > 0 ? capped / total : 0})
  }

  // 4. moments (the kernel's counts are the units of each arm)
  const scopeOf = (vals: Map<string, Float64Array>, cv: Map<string, Float64Array>, rows?: Int32Array): Scope => {
    const specs = inp.metrics.map((m) => {
      const cov = inp.covariates.get(m.name)
      return {y: vals.get(m.num) as Float64Array, scale: m.scale, x: m.den ? (vals.get(m.den) as Float64Array) : null, z: cov ? (cv.get(cov) as Float64Array) : null}
    })
    const all = metricMoments(group, A, specs, rows)
    return {units: all[0].map((m) => m.n), moments: new Map(inp.metrics.map((m, i) => [m.name, all[i]]))}
  }
  const overall = scopeOf(values, covs)
  const overallUnits = overall.units

  const metrics: MetricInfo[] = inp.metrics.map((m) => ({name: m.name, expr: m.expr, numerator: m.num, denominator: m.den, scale: m.scale, ...(inp.covariates.has(m.name) ? {covariate: inp.covariates.get(m.name)} : {})}))
  const data: AbData = {arms, metrics, overall, secondMoments: true, covariates: new Set(inp.covariates.keys()), notes}
  if (inp.day) byDay(inp, data, {slots, slotOfRow, thresholds, covs, scopeOf})
  return {data: withoutEmptyArms(data), capping, units: overallUnits.reduce((s, x) => s + x, 0)}
}

interface DayCtx {
  slots: number
  slotOfRow: Int32Array | null
  thresholds: Map<string, number>
  covs: Map<string, Float64Array>
  scopeOf: (vals: Map<string, Float64Array>, cv: Map<string, Float64Array>, rows?: Int32Array) => Scope
}

/** Leave out arms without units (their rows were all dropped as invalid). */
function withoutEmptyArms(data: AbData): AbData {
  const units = (data.overall as Scope).units
  const keep = units.map((u, i) => (u > 0 ? i : -1)).filter((i) => i >= 0)
  if (keep.length === units.length) return data
  const pick = (s: Scope | null): Scope | null => (s ? {units: keep.map((i) => s.units[i]), moments: new Map([...s.moments].map(([k, v]) => [k, keep.map((i) => v[i])]))} : null)
  return {...data, arms: keep.map((i) => data.arms[i]), overall: pick(data.overall), daily: data.daily?.map(pick), cumulative: data.cumulative?.map(pick)}
}

/** Per-day and cumulative scopes (step 4 with --day). */
function byDay(inp: UnitInput, data: AbData, c: DayCtx): void {
  const day = inp.day as KeyColumn
  const n = inp.rows
  const used = usedIds(day.data, day.dict.size)
  const ids: number[] = []
  used.forEach((u, id) => {
    if (u) ids.push(id)
  })
  const labels = ids.map((id) => day.dict.values[id])
  const sorted = sortedLabels(labels).map((k) => ids[k])
  const dayIndex = new Int32Array(day.dict.size).fill(-1)
  sorted.forEach((id, i) => (dayIndex[id] = i))
  const D = sorted.length
  // rows ordered by day (counting sort)
  const start = new Int32Array(D + 1)
  for (let i = 0; i < n; i++) start[dayIndex[day.data[i]] + 1]++
  for (let d = 0; d < D; d++) start[d + 1] += start[d]
  const fill = start.slice(0, D)
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[fill[dayIndex[day.data[i]]]++] = i
  data.days = sorted.map((id) => day.dict.values[id])
  data.daily = []
  data.cumulative = []
  if (!c.slotOfRow) {
    if (!inp.unit) data.notes.push('--day without --unit: every row is its own unit, so a user seen on several days counts as several units; pass --unit to sum a unit\'s rows')
    for (let d = 0; d < D; d++) {
      const today = order.subarray(start[d], start[d + 1])
      const upto = order.subarray(0, start[d + 1])
      data.daily.push(c.scopeOf(inp.columns, c.covs, today))
      data.cumulative.push(c.scopeOf(inp.columns, c.covs, upto))
    }
    return
  }
  const slotOfRow = c.slotOfRow
  const names = [...inp.columns.keys()]
  const dayAcc = new Map(names.map((k) => [k, new Float64Array(c.slots)]))
  const cumAcc = new Map(names.map((k) => [k, new Float64Array(c.slots)]))
  const cappedCum = new Map<string, Float64Array>()
  for (const k of names) if (c.thresholds.has(k)) cappedCum.set(k, new Float64Array(c.slots))
  const touchedFlag = new Uint8Array(c.slots)
  const activeFlag = new Uint8Array(c.slots)
  const touched = new Int32Array(c.slots)
  const active = new Int32Array(c.slots)
  let nActive = 0
  for (let d = 0; d < D; d++) {
    let nTouched = 0
    for (let k = start[d]; k < start[d + 1]; k++) {
      const i = order[k]
      const s = slotOfRow[i]
      if (!touchedFlag[s]) {
        touchedFlag[s] = 1
        touched[nTouched++] = s
      }
      if (!activeFlag[s]) {
        activeFlag[s] = 1
        active[nActive++] = s
      }
    }
    for (const k of names) {
      const src = inp.columns.get(k) as Float64Array
      const da = dayAcc.get(k) as Float64Array
      const ca = cumAcc.get(k) as Float64Array
      for (let r = start[d]; r < start[d + 1]; r++) {
        const i = order[r]
        const s = slotOfRow[i]
        const v = src[i]
        da[s] += v
        ca[s] += v
      }
    }
    const today = touched.subarray(0, nTouched)
    const upto = active.subarray(0, nActive)
    const cumVals = new Map<string, Float64Array>()
    for (const k of names) {
      const thr = c.thresholds.get(k)
      if (thr !== undefined) {
        const da = dayAcc.get(k) as Float64Array
        for (let j = 0; j < nTouched; j++) if (da[today[j]] > thr) da[today[j]] = thr
        const ca = cumAcc.get(k) as Float64Array
        const cc = cappedCum.get(k) as Float64Array
        for (let j = 0; j < nActive; j++) {
          const s = upto[j]
          cc[s] = ca[s] > thr ? thr : ca[s]
        }
        cumVals.set(k, cc)
      } else cumVals.set(k, cumAcc.get(k) as Float64Array)
    }
    data.daily.push(c.scopeOf(dayAcc, c.covs, today))
    data.cumulative.push(c.scopeOf(cumVals, c.covs, upto))
    for (const k of names) {
      const da = dayAcc.get(k) as Float64Array
      for (let j = 0; j < nTouched; j++) da[today[j]] = 0
    }
    for (let j = 0; j < nTouched; j++) touchedFlag[today[j]] = 0
  }
}
