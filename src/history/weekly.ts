import {formatPath} from '../results/paths.js'
import {formatTags} from './tags.js'

/**
 * The numbers behind `receval report weekly`: recorded runs grouped into series, each metric's
 * values over the window and the window before it, the change between the two windows'
 * means, regressions, and the A/B results recorded in the window. Pure: runs in, summary out.
 *
 * 1. split the runs into the window [since, until) and the previous window of the same length
 * 2. A/B runs (command "ab") are listed, not trended: their results are per-arm tables
 * 3. group the other runs into series: command + the run's tags, leaving out "volatile" tag keys
 *    (every run of that command has its own value: a commit, a date), or command + the `by`
 *    keys when given
 * 4. per series, every numeric value of the result outside arrays is a metric (its `_se`
 *    sibling is kept as the point's standard error, a `_ci` pair as its interval)
 * 5. per metric: mean over each window, change = mean(window) - mean(previous); a metric whose
 *    better direction is known is a regression when the change is worse than `tolerance`
 *    (relative to |mean(previous)|; for calibration, when |mean - 1| grows by more than it)
 */

export type Direction = 'higher' | 'lower' | 'one'

const HIGHER = new Set(['auc', 'pr_auc', 'gauc', 'gauc_unweighted', 'click_recall', 'click_recall_micro', 'cost_recall', 'hitrate', 'precision', 'ndcg', 'mrr', 'map', 'coverage', 'hypervolume', 'f1', 'accuracy', 'tpr', 'tnr', 'npv'])
const LOWER = new Set(['logloss', 'ne', 'brier', 'fpr', 'fnr'])

/** Which way is better for a metric, from the last segment of its path; null when unknown (counts, statistics). */
export function metricDirection(path: readonly string[]): Direction | null {
  const name = path[path.length - 1]
  if (HIGHER.has(name)) return 'higher'
  if (LOWER.has(name)) return 'lower'
  if (name === 'calibration') return 'one'
  return null
}

export interface WeeklyRun {
  id: number
  command: string
  created_at: string
  tags: Record<string, string>
  result: Record<string, unknown>
}

export interface WeeklyOptions {
  /** window start, ISO 8601 UTC (inclusive) */
  since: string
  /** window end, ISO 8601 UTC (exclusive) */
  until: string
  /** group series by these tag keys instead of all non-volatile tags */
  by?: string[]
  /** relative change (0.005 = 0.5%) in the worse direction that flags a regression */
  tolerance: number
}

export interface TrendPoint {
  run_id: number
  created_at: string
  value: number
  /** the `<metric>_se` sibling, when the result has one */
  se?: number
  /** the `<metric>_ci` sibling [low, high], when the result has one */
  ci?: [number, number]
}

export interface MetricTrend {
  /** dotted path into the result */
  path: string
  direction: Direction | null
  /** the window's points, oldest first */
  points: TrendPoint[]
  /** the previous window's points, oldest first */
  previous: TrendPoint[]
  mean: number | null
  previous_mean: number | null
  /** the newest value in the window */
  last: number | null
  /** mean - previous_mean (null when either window has no value) */
  change: number | null
  /** change / |previous_mean| (null when previous_mean is 0 or missing) */
  relative_change: number | null
  /** every value in both windows is the same (nothing to draw) */
  constant: boolean
  /** worse than the tolerance in the metric's worse direction */
  regression: boolean
  /** better than the tolerance in the metric's better direction */
  improvement: boolean
}

export interface Series {
  /** "auc branch=main" */
  key: string
  command: string
  /** the tags that define the series */
  tags: Record<string, string>
  runs: number
  previous_runs: number
  metrics: MetricTrend[]
}

export interface AbRun {
  run_id: number
  created_at: string
  tags: Record<string, string>
  result: Record<string, unknown>
}

export interface WeeklySummary {
  since: string
  until: string
  previous_since: string
  /** runs in the window / in the previous window (A/B runs included) */
  runs: number
  previous_runs: number
  /** tag keys left out of series keys because every run has its own value */
  volatile_tags: string[]
  series: Series[]
  /** every regression flagged, the most worsened first */
  regressions: {series: string; path: string; previous_mean: number; mean: number; relative_change: number | null; worse_by: number}[]
  /** A/B runs recorded in the window, oldest first */
  ab: AbRun[]
}

/** Numeric values outside arrays, with their paths; `_se` values are attached to their metric instead. */
function metricsOf(result: Record<string, unknown>): Map<string, {path: string[]; value: number; se?: number; ci?: [number, number]}> {
  const out = new Map<string, {path: string[]; value: number; se?: number; ci?: [number, number]}>()
  const walk = (v: unknown, path: string[]) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return
    const obj = v as Record<string, unknown>
    for (const [k, c] of Object.entries(obj)) {
      if (typeof c === 'number' && Number.isFinite(c) && !k.endsWith('_se')) {
        const se = obj[k + '_se']
        const ci = obj[k + '_ci']
        const m: {path: string[]; value: number; se?: number; ci?: [number, number]} = {path: [...path, k], value: c}
        if (typeof se === 'number' && Number.isFinite(se)) m.se = se
        if (Array.isArray(ci) && ci.length === 2 && ci.every((x) => typeof x === 'number')) m.ci = [ci[0], ci[1]]
        out.set(formatPath(m.path), m)
      } else if (c !== null && typeof c === 'object' && !Array.isArray(c)) walk(c, [...path, k])
    }
  }
  walk(result, [])
  return out
}

const mean = (xs: TrendPoint[]) => (xs.length ? xs.reduce((s, p) => s + p.value, 0) / xs.length : null)

/** The previous window: the same length, ending where the window starts. */
export function previousWindow(since: string, until: string): string {
  return new Date(2 * Date.parse(since) - Date.parse(until)).toISOString()
}

/** Build the weekly summary from the runs of both windows (others are ignored). */
export function weeklySummary(runs: readonly WeeklyRun[], opts: WeeklyOptions): WeeklySummary {
  const previousSince = previousWindow(opts.since, opts.until)
  const inWindow = (r: WeeklyRun) => r.created_at >= opts.since && r.created_at < opts.until
  const inPrevious = (r: WeeklyRun) => r.created_at >= previousSince && r.created_at < opts.since
  const relevant = [...runs].filter((r) => inWindow(r) || inPrevious(r)).sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id - b.id))

  // 2. A/B runs
  const ab = relevant.filter((r) => r.command === 'ab' && inWindow(r)).map((r) => ({run_id: r.id, created_at: r.created_at, tags: r.tags, result: r.result}))
  const trended = relevant.filter((r) => r.command !== 'ab')

  // 3. series (a tag key is volatile per command: commits are shared by an auc and a recall run)
  const volatile = new Map<string, Set<string>>()
  if (!opts.by) {
    const byKey = new Map<string, {runs: number; values: Set<string>}>()
    for (const r of trended) {
      for (const [k, v] of Object.entries(r.tags)) {
        const id = `${r.command}\u0000${k}`
        const e = byKey.get(id) ?? {runs: 0, values: new Set<string>()}
        e.runs++
        e.values.add(v)
        byKey.set(id, e)
      }
    }
    for (const [id, e] of byKey) {
      if (e.runs < 2 || e.values.size !== e.runs) continue
      const [command, k] = id.split('\u0000')
      const set = volatile.get(command) ?? new Set<string>()
      set.add(k)
      volatile.set(command, set)
    }
  }
  const seriesTags = (r: WeeklyRun): Record<string, string> => {
    if (opts.by) return Object.fromEntries(opts.by.map((k) => [k, r.tags[k] ?? '(none)']))
    const skip = volatile.get(r.command)
    return Object.fromEntries(Object.entries(r.tags).filter(([k]) => !skip?.has(k)).sort(([a], [b]) => (a < b ? -1 : 1)))
  }
  const groups = new Map<string, {command: string; tags: Record<string, string>; runs: WeeklyRun[]}>()
  for (const r of trended) {
    const tags = seriesTags(r)
    const key = `${r.command}${Object.keys(tags).length ? ' ' + formatTags(tags).replace(/, /g, ' ') : ''}`
    const g = groups.get(key) ?? {command: r.command, tags, runs: []}
    g.runs.push(r)
    groups.set(key, g)
  }

  // 4-5. metrics
  const series: Series[] = []
  const regressions: WeeklySummary['regressions'] = []
  for (const [key, g] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const byPath = new Map<string, MetricTrend>()
    for (const r of g.runs) {
      for (const [path, m] of metricsOf(r.result)) {
        let t = byPath.get(path)
        if (!t) {
          t = {path, direction: metricDirection(m.path), points: [], previous: [], mean: null, previous_mean: null, last: null, change: null, relative_change: null, constant: false, regression: false, improvement: false}
          byPath.set(path, t)
        }
        const p: TrendPoint = {run_id: r.id, created_at: r.created_at, value: m.value}
        if (m.se !== undefined) p.se = m.se
        if (m.ci !== undefined) p.ci = m.ci
        ;(inWindow(r) ? t.points : t.previous).push(p)
      }
    }
    const metrics = [...byPath.values()]
    for (const t of metrics) {
      t.mean = mean(t.points)
      t.previous_mean = mean(t.previous)
      t.last = t.points.length ? t.points[t.points.length - 1].value : null
      const all = [...t.previous, ...t.points]
      t.constant = all.every((p) => p.value === all[0].value)
      if (t.mean !== null && t.previous_mean !== null) {
        t.change = t.mean - t.previous_mean
        t.relative_change = t.previous_mean !== 0 ? t.change / Math.abs(t.previous_mean) : null
        const worse = worsening(t.direction, t.previous_mean, t.mean)
        if (worse !== null) {
          t.regression = worse > opts.tolerance
          t.improvement = worse < -opts.tolerance
        }
        if (t.regression) regressions.push({series: key, path: t.path, previous_mean: t.previous_mean, mean: t.mean, relative_change: t.relative_change, worse_by: worse as number})
      }
    }
    series.push({key, command: g.command, tags: g.tags, runs: g.runs.filter(inWindow).length, previous_runs: g.runs.filter(inPrevious).length, metrics})
  }
  regressions.sort((a, b) => b.worse_by - a.worse_by)
  return {
    since: opts.since,
    until: opts.until,
    previous_since: previousSince,
    runs: relevant.filter(inWindow).length,
    previous_runs: relevant.filter(inPrevious).length,
    volatile_tags: [...new Set([...volatile.values()].flatMap((v) => [...v]))].sort(),
    series,
    regressions,
    ab,
  }
}

/**
 * How much worse `now` is than `before`, as a share: positive is worse. For 'higher' and
 * 'lower' metrics, relative to |before|; for calibration, the growth of |value - 1| (absolute,
 * calibration being a ratio around 1). Null when the direction is unknown or before is 0.
 */
export function worsening(direction: Direction | null, before: number, now: number): number | null {
  if (direction === null) return null
  if (direction === 'one') return Math.abs(now - 1) - Math.abs(before - 1)
  if (before === 0) return null
  const rel = (now - before) / Math.abs(before)
  return direction === 'higher' ? -rel : rel
}
