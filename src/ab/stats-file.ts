import {InputError, UsageError} from '../cli/errors.js'
import {ColumnRequest, floatColumn, KeyDict, keyColumn, labelColumn, ReadResult} from '../io/index.js'
import {emptyMoments, mergeMoments, Moments, momentsFromSums} from '../stats/moments.js'
import {AbData, armOrder, MetricInfo, Scope, sortedLabels} from './data.js'

/**
 * `receval ab --stats FILE...`: aggregated sufficient statistics instead of unit rows, as a
 * warehouse query returns them (one file per shard; rows with the same key are added up, so shards
 * must hold disjoint units). Schema "ab/1", one row per (metric, arm[, day[, cumulative]]):
 *
 *   metric       metric name
 *   arm          arm name (the --arm column, default "arm")
 *   day          with --day COL: the day (column COL)
 *   cumulative   optional, 0/1: 1 when the row's sums are over each unit's rows from the first
 *                day up to and including `day`; 0 (or no column) when over that day's rows only
 *   units        number of units (randomization units, e.g. users) in the group
 *   num_sum      sum over units of the unit's numerator value Y (scale included: for
 *                cpm=1000*cost/impressions, Y = 1000 * the unit's cost)
 *   num_sum_sq   sum of Y^2
 *   den_sum      sum of the denominator X (for a mean metric X = 1: den_sum = units)
 *   den_sum_sq   sum of X^2            (mean metric: units)
 *   num_den_sum  sum of X * Y          (mean metric: num_sum)
 *   cov_sum, cov_sum_sq, num_cov_sum, den_cov_sum
 *                with --covariate: sums of Z, Z^2, Y Z and X Z for the metric's covariate Z
 *                (0 on rows of metrics without one)
 *   schema       optional; when present must be "ab/1"
 *
 * The *_sq and num_den_sum columns may be left out with --method paired-days, which needs only
 * the sums of each day.
 */

export const STATS_SCHEMA = 'ab/1'

/**
 * The prefix of the `schema` value that `receval sql ab` writes instead of "ab/1" on the rows of
 * a group in which its query found rows that `receval ab` refuses (an empty arm, unit or day; a
 * value that is not a finite number; a negative count; a covariate that differs within a unit);
 * the rest of the value is the message. The statistics of such a group are not usable.
 */
export const STATS_ERROR_PREFIX = 'error: '

/** How the merge reports such a group (followed by the query's message). */
export const BAD_ROWS = 'the query that made these statistics found rows receval ab refuses: '

export interface StatsOptions {
  files: string[]
  armColumn?: string
  dayColumn?: string
  control: string
  /** metric names to keep, in this order (all, in file order, when empty) */
  select: string[]
  /** metrics with CUPED */
  covariates: Set<string>
  secondMomentsOptional: boolean
  read: (path: string, requests: ColumnRequest[]) => Promise<ReadResult>
}

interface Key {
  metric: number
  arm: number
  day: number
  cumulative: number
}

export async function statsData(o: StatsOptions): Promise<{data: AbData; rows: number; dropped: number}> {
  const metricDict = new KeyDict()
  const armDict = new KeyDict()
  const dayDict = new KeyDict()
  const schemaDict = new KeyDict()
  const groups = new Map<string, {key: Key; m: Moments}>()
  const cumulativeByFile: Map<string, {key: Key; m: Moments}>[] = []
  let rows = 0
  let dropped = 0
  let anySecond = false
  let anyCum = false
  const fileOf = o.files.length === 1 ? o.files[0] : o.files.join(', ')
  const metricOrder: number[] = []
  const seenMetric = new Set<number>()
  for (const file of o.files) {
    const f = (name: string, nonNegative = false, optional = false): ColumnRequest => (optional ? {role: name, defaults: [name], kind: 'float', nonNegative, optional: true} : {role: name, name, kind: 'float', nonNegative})
    const requests: ColumnRequest[] = [
      {role: 'metric', name: 'metric', kind: 'key', dict: metricDict},
      {role: 'arm', flag: '--arm', name: o.armColumn ?? 'arm', kind: 'key', dict: armDict},
      f('units', true),
      f('num_sum'),
      f('den_sum', true),
      f('num_sum_sq', true, true),
      f('den_sum_sq', true, true),
      f('num_den_sum', false, true),
      {role: 'cumulative', defaults: ['cumulative'], kind: 'label', optional: true},
      {role: 'schema', defaults: ['schema'], kind: 'key', optional: true, dict: schemaDict},
    ]
    if (o.dayColumn) requests.push({role: 'day', flag: '--day', name: o.dayColumn, kind: 'key', dict: dayDict})
    if (o.covariates.size > 0) for (const c of ['cov_sum', 'cov_sum_sq', 'num_cov_sum', 'den_cov_sum']) requests.push(f(c, c === 'cov_sum_sq'))
    const {table, names} = await o.read(file, requests)
    const fileCum = new Map<string, {key: Key; m: Moments}>()
    if (!o.dayColumn && table.header.includes('day')) throw new InputError({file, column: 'day'}, 'the stats file has a "day" column; pass --day day (rows of different days must not be added up)')
    if (names[9] !== undefined) {
      const sc = keyColumn(table, names[9])
      for (let i = 0; i < table.rows; i++) {
        const v = sc.dict.values[sc.data[i]]
        if (v.startsWith(STATS_ERROR_PREFIX)) throw new InputError({file}, BAD_ROWS + v.slice(STATS_ERROR_PREFIX.length))
        if (v !== STATS_SCHEMA) throw new InputError({file, column: 'schema'}, `schema "${v}" is not "${STATS_SCHEMA}" (a stats file of another command or version?)`)
      }
    }
    rows += table.rows
    dropped += table.dropped
    const metric = keyColumn(table, 'metric').data
    const arm = keyColumn(table, names[1] as string).data
    const day = o.dayColumn ? keyColumn(table, o.dayColumn).data : null
    const cum = names[8] !== undefined ? labelColumn(table, names[8]) : null
    const units = floatColumn(table, 'units')
    const get = (k: string) => (table.columns.has(k) ? floatColumn(table, k) : null)
    const numSum = get('num_sum') as Float64Array
    const denSum = get('den_sum') as Float64Array
    const numSq = get('num_sum_sq')
    const denSq = get('den_sum_sq')
    const numDen = get('num_den_sum')
    const second = numSq !== null && denSq !== null && numDen !== null
    if (!second && (numSq || denSq || numDen)) throw new InputError({file}, 'give all of num_sum_sq, den_sum_sq and num_den_sum, or none (--method paired-days)')
    if (!second && !o.secondMomentsOptional) throw new InputError({file}, 'the stats file has no num_sum_sq, den_sum_sq, num_den_sum columns; the unit-level test needs them (--method paired-days needs only the sums)')
    anySecond ||= second
    const cs = o.covariates.size > 0 ? ['cov_sum', 'cov_sum_sq', 'num_cov_sum', 'den_cov_sum'].map((k) => floatColumn(table, k)) : null
    for (let i = 0; i < table.rows; i++) {
      const n = units[i]
      if (!Number.isInteger(n)) throw new InputError({file, column: 'units'}, `${n} on data row ${i + 1} is not a whole number of units`)
      const key: Key = {metric: metric[i], arm: arm[i], day: day ? day[i] : -1, cumulative: cum ? cum[i] : 0}
      if (key.cumulative) anyCum = true
      if (!seenMetric.has(key.metric)) {
        seenMetric.add(key.metric)
        metricOrder.push(key.metric)
      }
      const m = momentsFromSums({
        n,
        sumY: numSum[i],
        sumY2: second ? (numSq as Float64Array)[i] : 0,
        sumX: denSum[i],
        sumX2: second ? (denSq as Float64Array)[i] : 0,
        sumXY: second ? (numDen as Float64Array)[i] : 0,
        ...(cs ? {sumZ: cs[0][i], sumZ2: cs[1][i], sumYZ: cs[2][i], sumXZ: cs[3][i]} : {}),
      })
      if (second) {
        for (const [col, c, sq] of [
          ['num_sum_sq', m.cYY, (numSq as Float64Array)[i]],
          ['den_sum_sq', m.cXX, (denSq as Float64Array)[i]],
          ...(cs ? [['cov_sum_sq', m.cZZ, cs[1][i]] as const] : []),
        ] as const) {
          // rounding in a warehouse's DOUBLE sums can leave a tiny negative; more is impossible data
          if (c < -1e-9 * Math.abs(sq)) throw new InputError({file, column: col}, `data row ${i + 1}: ${col} = ${sq} is less than the square of its sum divided by units; no data has these sums`)
        }
      }
      // cumulative rows are kept per file until every day is known (see carryForward)
      const into = key.cumulative && o.dayColumn ? fileCum : groups
      const k = `${key.metric}\u0000${key.arm}\u0000${key.day}\u0000${key.cumulative}`
      const g = into.get(k)
      if (g) g.m = mergeMoments(g.m, m)
      else into.set(k, {key, m})
    }
    if (fileCum.size > 0) cumulativeByFile.push(fileCum)
  }
  if (o.dayColumn) carryForward(cumulativeByFile, groups, dayDict)
  if (!o.dayColumn && anyCum) throw new InputError({file: fileOf, column: 'cumulative'}, 'the stats file has cumulative rows; pass --day COL')
  // arms and metrics
  const armNames = [...new Set([...groups.values()].map((g) => armDict.values[g.key.arm]))]
  if (!armNames.includes(o.control)) throw new UsageError(`--control "${o.control}" is not an arm; the arms in ${fileOf} are: ${armNames.map((a) => JSON.stringify(a)).join(', ')}`)
  const arms = armOrder(armNames, o.control)
  const armPos = new Map(arms.map((a, i) => [armDict.lookup(a), i]))
  const fileMetrics = metricOrder.map((id) => metricDict.values[id])
  for (const s of o.select) if (!fileMetrics.includes(s)) throw new UsageError(`--metric "${s}" is not in the stats file; it has: ${fileMetrics.join(', ')}`)
  for (const c of o.covariates) if (!fileMetrics.includes(c)) throw new UsageError(`--covariate "${c}" names no metric of the stats file; it has: ${fileMetrics.join(', ')}`)
  const chosen = o.select.length > 0 ? o.select : fileMetrics
  const metrics: MetricInfo[] = chosen.map((name) => ({name, ...(o.covariates.has(name) ? {covariate: 'cov_sum'} : {})}))
  const notes: string[] = []

  const scopeOf = (pick: (k: Key) => boolean, label: string): Scope | null => {
    const moments = new Map<string, Moments[]>()
    let any = false
    for (const name of chosen) moments.set(name, arms.map(() => emptyMoments()))
    for (const g of groups.values()) {
      if (!pick(g.key)) continue
      const name = metricDict.values[g.key.metric]
      const per = moments.get(name)
      if (!per) continue
      per[armPos.get(g.key.arm) as number] = g.m
      any = true
    }
    if (!any) return null
    const units = arms.map((_, a) => Math.max(...chosen.map((name) => (moments.get(name) as Moments[])[a].n)))
    const differ = arms.some((_, a) => chosen.some((name) => (moments.get(name) as Moments[])[a].n !== units[a]))
    if (differ && label === 'overall') notes.push('the metrics of an arm have different unit counts in the stats file; units per arm (and SRM) use the largest')
    return {units, moments}
  }

  let overall: Scope | null
  let days: string[] | undefined
  let daily: (Scope | null)[] | undefined
  let cumulative: (Scope | null)[] | undefined
  if (!o.dayColumn) overall = scopeOf(() => true, 'overall')
  else {
    const dayIds = [...new Set([...groups.values()].map((g) => g.key.day))]
    const labels = dayIds.map((id) => dayDict.values[id])
    const order = sortedLabels(labels).map((k) => dayIds[k])
    days = order.map((id) => dayDict.values[id])
    daily = order.map((id) => scopeOf((k) => k.day === id && k.cumulative === 0, 'day'))
    cumulative = order.map((id) => scopeOf((k) => k.day === id && k.cumulative === 1, 'cumulative'))
    const last = order[order.length - 1]
    overall = anyCum ? scopeOf((k) => k.day === last && k.cumulative === 1, 'overall') : null
    if (anyCum && !overall) throw new InputError({file: fileOf, column: 'cumulative'}, `the last day (${days[days.length - 1]}) has no cumulative rows, so there is no overall result`)
    if (daily.every((d) => d === null)) daily = undefined
    if (cumulative.every((d) => d === null)) cumulative = undefined
  }
  return {data: {arms, metrics, overall, days, daily, cumulative, secondMoments: anySecond, covariates: new Set(o.covariates), notes}, rows, dropped}
}

/**
 * Add every file's cumulative rows into `groups`, carrying each file's rows forward over the days
 * it has no row for: a cumulative row holds a file's units seen up to its day, so on a later day
 * without a row of that (metric, arm) in the file (no activity there, e.g. a small shard with no
 * rows that day) the file's units are still those of its last earlier row. Days are ordered as
 * everywhere (numbers numerically, else as text), over the days of all files.
 */
function carryForward(files: Map<string, {key: Key; m: Moments}>[], groups: Map<string, {key: Key; m: Moments}>, dayDict: KeyDict): void {
  const dayIds = new Set<number>()
  for (const g of groups.values()) dayIds.add(g.key.day)
  for (const f of files) for (const g of f.values()) dayIds.add(g.key.day)
  const ids = [...dayIds]
  const order = sortedLabels(ids.map((id) => dayDict.values[id])).map((k) => ids[k])
  for (const f of files) {
    const series = new Map<string, Map<number, {key: Key; m: Moments}>>()
    for (const g of f.values()) {
      const s = `${g.key.metric}\u0000${g.key.arm}`
      let byDay = series.get(s)
      if (!byDay) series.set(s, (byDay = new Map()))
      byDay.set(g.key.day, g)
    }
    for (const byDay of series.values()) {
      let last: {key: Key; m: Moments} | undefined
      for (const day of order) {
        last = byDay.get(day) ?? last
        if (!last) continue
        const key = {...last.key, day}
        const k = `${key.metric}\u0000${key.arm}\u0000${key.day}\u0000${key.cumulative}`
        const g = groups.get(k)
        if (g) g.m = mergeMoments(g.m, last.m)
        else groups.set(k, {key, m: last.m})
      }
    }
  }
}
