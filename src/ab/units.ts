import {InputError, UsageError} from '../cli/errors.js'
import type {KeyColumn} from '../io/index.js'
import {ColumnData, metricMoments, Strided} from '../stats/moments.js'
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

function asStrided(c: ColumnData | undefined): Strided | undefined {
  return c === undefined ? undefined : c instanceof Float64Array ? {data: c, stride: 1, offset: 0} : c
}

/** Rows per chunk of addBySlot: the chunk's copy takes (C + 1) * 8 bytes per row. */
const CHUNK_ROWS = 1 << 20

/**
 * acc[slot * C + j] += src[j][i] for every row i, where C = src.length. Rows are taken a chunk
 * at a time and copied, with their values, into 256 buckets by slot range (a counting sort that
 * reads in row order and writes 256 streams), then added bucket by bucket, so the accumulators
 * in use at any moment stay within a cache-sized range of slots: adding rows in file order
 * would make nearly every access a cache miss once there are millions of units.
 */
function addBySlot(n: number, slotOfRow: Int32Array, src: Float64Array[], acc: Float64Array, slots: number): void {
  const C = src.length
  const W = C + 1
  const shift = Math.max(0, Math.ceil(Math.log2(Math.max(1, slots) / 256)))
  const buckets = (slots >> shift) + 1
  const bucketStart = new Int32Array(buckets + 1)
  const tuples = new Float64Array(Math.min(n, CHUNK_ROWS) * W)
  for (let from = 0; from < n; from += CHUNK_ROWS) {
    const to = Math.min(n, from + CHUNK_ROWS)
    bucketStart.fill(0)
    for (let i = from; i < to; i++) bucketStart[(slotOfRow[i] >> shift) + 1]++
    for (let b = 0; b < buckets; b++) bucketStart[b + 1] += bucketStart[b]
    for (let i = from; i < to; i++) {
      const s = slotOfRow[i]
      const at = bucketStart[s >> shift]++ * W
      tuples[at] = s
      for (let j = 0; j < C; j++) tuples[at + 1 + j] = src[j][i]
    }
    const end = (to - from) * W
    for (let at = 0; at < end; at += W) {
      const base = tuples[at] * C
      for (let j = 0; j < C; j++) acc[base + j] += tuples[at + 1 + j]
    }
  }
}

/** An empty arm, unit or day would silently become one more arm, one shared unit or one more day. */
function rejectEmptyKeys(file: string, col: KeyColumn, role: string): void {
  const empty = col.dict.lookup('')
  if (empty < 0) return
  let count = 0
  for (let i = 0; i < col.data.length; i++) if (col.data[i] === empty) count++
  if (count > 0) throw new InputError({file, column: col.name}, `${count} row${count === 1 ? ' has' : 's have'} an empty ${role}; fill them in or filter them out`)
}

/** The note when `count` units (e.g. `example`) have rows in more than one arm. */
export function multiArmNote(count: number, example: string): string {
  return `${count} unit${count === 1 ? '' : 's'} (e.g. "${example}") appear${count === 1 ? 's' : ''} in more than one arm; each (arm, unit) is analysed as its own unit, but randomization by unit should never do this: check the assignment`
}

export const DAY_WITHOUT_UNIT_NOTE = "--day without --unit: every row is its own unit, so a user seen on several days counts as several units; pass --unit to sum a unit's rows"

/** The `metrics` of a result from unit rows: each metric's expression, columns and covariate. */
export function metricInfos(metrics: readonly MetricDef[], covariates: Map<string, string>): MetricInfo[] {
  return metrics.map((m) => ({name: m.name, expr: m.expr, numerator: m.num, denominator: m.den, scale: m.scale, ...(covariates.has(m.name) ? {covariate: covariates.get(m.name)} : {})}))
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
  let values: Map<string, ColumnData>
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
    if (multi > 0) notes.push(multiArmNote(multi, u.dict.values[multiUnits.values().next().value as number]))
    // every unit's totals side by side (stride C), summed bucket by bucket (see addBySlot)
    const C = valueNames.length
    const totals = new Float64Array(slots * C)
    addBySlot(n, slotOfRow, valueNames.map((k) => inp.columns.get(k) as Float64Array), totals, slots)
    values = new Map(valueNames.map((k, j) => [k, {data: totals, stride: C, offset: j}]))
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
    const col: Strided | undefined = asStrided(values.get(cap.column) ?? covs.get(cap.column))
    if (!col) throw new UsageError(`--cap "${cap.column}=${cap.rule}": "${cap.column}" is not a column of any --metric or --covariate`)
    const {data: cd, stride, offset} = col
    let threshold: number
    if (cap.percentile !== undefined) {
      let live: Float64Array = cd
      if (inp.unit || stride !== 1) {
        let k = 0
        for (let s = 0; s < slots; s++) if (group[s] >= 0) k++
        live = new Float64Array(k)
        k = 0
        for (let s = 0; s < slots; s++) if (group[s] >= 0) live[k++] = cd[s * stride + offset]
      }
      threshold = quantileLinear(live, cap.percentile / 100)
    } else threshold = cap.value as number
    let capped = 0
    let total = 0
    for (let s = 0; s < slots; s++) {
      if (group[s] < 0) continue
      total++
      const at = s * stride + offset
      if (cd[at] > threshold) {
        cd[at] = threshold
        capped++
      }
    }
    thresholds.set(cap.column, threshold)
    capping.push({column: cap.column, rule: cap.rule, threshold, units_capped: capped, share_capped: total > 0 ? capped / total : 0})
  }

  // 4. moments (the kernel's counts are the units of each arm)
  const scopeOf = (vals: Map<string, ColumnData>, cv: Map<string, Float64Array>, rows?: Int32Array, groupOf: Int32Array = group): Scope => {
    const specs = inp.metrics.map((m) => {
      const cov = inp.covariates.get(m.name)
      return {y: vals.get(m.num) as ColumnData, scale: m.scale, x: m.den ? (vals.get(m.den) as ColumnData) : null, z: cov ? (cv.get(cov) as Float64Array) : null}
    })
    const all = metricMoments(groupOf, A, specs, rows)
    return {units: all[0].map((m) => m.n), moments: new Map(inp.metrics.map((m, i) => [m.name, all[i]]))}
  }
  const overall = scopeOf(values, covs)
  const overallUnits = overall.units

  const data: AbData = {arms, metrics: metricInfos(inp.metrics, inp.covariates), overall, secondMoments: true, covariates: new Set(inp.covariates.keys()), notes}
  if (inp.day) byDay(inp, data, {slots, slotOfRow, group, thresholds, covs, scopeOf})
  return {data: withoutEmptyArms(data), capping, units: overallUnits.reduce((s, x) => s + x, 0)}
}

interface DayCtx {
  slots: number
  slotOfRow: Int32Array | null
  group: Int32Array
  thresholds: Map<string, number>
  covs: Map<string, Float64Array>
  scopeOf: (vals: Map<string, ColumnData>, cv: Map<string, Float64Array>, rows?: Int32Array, groupOf?: Int32Array) => Scope
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
    if (!inp.unit) data.notes.push(DAY_WITHOUT_UNIT_NOTE)
    for (let d = 0; d < D; d++) {
      const today = order.subarray(start[d], start[d + 1])
      const upto = order.subarray(0, start[d + 1])
      data.daily.push(c.scopeOf(inp.columns, c.covs, today))
      data.cumulative.push(c.scopeOf(inp.columns, c.covs, upto))
    }
    return
  }
  // With units, a day's scope is the units active that day and the cumulative scope every unit
  // seen so far. They are marked in group arrays (-1: not in the scope) that the kernel scans in
  // slot order, and each slot's running sums of all columns sit side by side (stride C), so adding
  // a row touches one cache line: slots in arrival order would make every access a cache miss.
  const slotOfRow = c.slotOfRow
  const S = c.slots
  const group = c.group
  const names = [...inp.columns.keys()]
  const C = names.length
  const src = names.map((k) => inp.columns.get(k) as Float64Array)
  const caps = names.map((k) => c.thresholds.get(k) ?? Infinity)
  const anyCap = caps.some((t) => t !== Infinity)
  const dayAcc = new Float64Array(S * C)
  const cumAcc = new Float64Array(S * C)
  const cappedCum = anyCap ? new Float64Array(S * C) : cumAcc
  const view = (data: Float64Array) => new Map(names.map((k, j) => [k, {data, stride: C, offset: j}]))
  const dayView = view(dayAcc)
  const cumView = view(cappedCum)
  const dayGroup = new Int32Array(S).fill(-1)
  const cumGroup = new Int32Array(S).fill(-1)
  const touched = new Int32Array(S)
  // A day's rows are first copied, with their values, into 256 buckets by slot range (one
  // counting-sort pass: reading in row order, writing 256 streams), then added bucket by bucket,
  // so the accumulators touched at any moment stay within a cache-sized range of slots.
  const SHIFT = Math.max(0, Math.ceil(Math.log2(Math.max(1, S) / 256)))
  const buckets = (S >> SHIFT) + 1
  const bucketStart = new Int32Array(buckets + 1)
  let maxDay = 0
  for (let d = 0; d < D; d++) maxDay = Math.max(maxDay, start[d + 1] - start[d])
  const W = C + 1
  const tuples = new Float64Array(maxDay * W)
  for (let d = 0; d < D; d++) {
    bucketStart.fill(0)
    for (let r = start[d]; r < start[d + 1]; r++) bucketStart[(slotOfRow[order[r]] >> SHIFT) + 1]++
    for (let b = 0; b < buckets; b++) bucketStart[b + 1] += bucketStart[b]
    for (let r = start[d]; r < start[d + 1]; r++) {
      const i = order[r]
      const s = slotOfRow[i]
      const at = bucketStart[s >> SHIFT]++ * W
      tuples[at] = s
      for (let j = 0; j < C; j++) tuples[at + 1 + j] = src[j][i]
    }
    const end = (start[d + 1] - start[d]) * W
    let nTouched = 0
    for (let at = 0; at < end; at += W) {
      const s = tuples[at]
      if (dayGroup[s] < 0) {
        dayGroup[s] = group[s]
        cumGroup[s] = group[s]
        touched[nTouched++] = s
      }
      const base = s * C
      for (let j = 0; j < C; j++) {
        const v = tuples[at + 1 + j]
        dayAcc[base + j] += v
        cumAcc[base + j] += v
      }
    }
    if (anyCap) {
      for (let t = 0; t < nTouched; t++) {
        const base = touched[t] * C
        for (let j = 0; j < C; j++) if (dayAcc[base + j] > caps[j]) dayAcc[base + j] = caps[j]
      }
      for (let q = 0; q < S * C; q++) {
        const v = cumAcc[q]
        const cap = caps[q % C]
        cappedCum[q] = v > cap ? cap : v
      }
    }
    // the day's units, in bucket (nearly slot) order: fewer than all slots, read nearly in order
    data.daily.push(c.scopeOf(dayView, c.covs, undefined, dayGroup))
    data.cumulative.push(c.scopeOf(cumView, c.covs, undefined, cumGroup))
    for (let t = 0; t < nTouched; t++) {
      const s = touched[t]
      dayGroup[s] = -1
      for (let j = 0; j < C; j++) dayAcc[s * C + j] = 0
    }
  }
}
