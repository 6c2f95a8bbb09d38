import type {MetricTrend, Series, WeeklySummary} from '../../history/weekly.js'
import {formatTags} from '../../history/tags.js'
import {trendChart} from '../charts/trends.js'
import {PALETTE} from '../charts/theme.js'
import {formatCount, formatNumber} from '../format.js'
import type {Block, Cell, Fact, Report, ReportMeta, Section, TableColumn} from '../types.js'

/**
 * The page of `receval report weekly`, built from the weekly summary alone (the object
 * `--json` prints): the regressions, the A/B tests recorded in the window, and per command a
 * summary table and one trend chart per metric. Nothing is recomputed here.
 */

export interface WeeklyReportOptions {
  /** add tooltip layers for --interactive pages */
  interactive?: boolean
  /** the tolerance that flagged regressions, for the text (a share: 0.005) */
  tolerance: number
  /** the --by keys, when series were grouped by them */
  by?: string[]
  /** the database file, for the facts */
  db: string
}

/** Lines per chart: one per colour of the palette. */
const MAX_LINES = PALETTE.length

/** 2024-05-08 00:00 UTC -> "2024-05-08"; an exclusive end at midnight shows the day before. */
function day(iso: string, end = false): string {
  const ms = Date.parse(iso)
  const midnight = ms % 86_400_000 === 0
  if (end && midnight) return new Date(ms - 1).toISOString().slice(0, 10)
  return midnight ? iso.slice(0, 10) : iso.replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC')
}

/** "2024-05-08 - 2024-05-14" for a window [since, until). */
export function windowText(since: string, until: string): string {
  const a = day(since)
  const b = day(until, true)
  return a === b ? a : `${a} – ${b}`
}

const pct = (v: number) => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(2)}%`

function changeCell(t: MetricTrend): Cell {
  if (t.relative_change === null) return t.change === null ? null : {value: `${formatNumber(t.change)}${t.regression ? ' worse' : t.improvement ? ' better' : ''}`, tone: t.regression ? 'bad' : t.improvement ? 'good' : undefined}
  const text = pct(t.relative_change)
  // said in words too: colour does not print in greyscale and is not read aloud
  if (t.regression) return {value: `${text} worse`, tone: 'bad', title: 'worse than the tolerance: a regression'}
  if (t.improvement) return {value: `${text} better`, tone: 'good', title: 'better than the tolerance'}
  return {value: text, tone: t.direction === null ? 'muted' : undefined, title: t.direction === null ? 'no better direction is known for this value' : undefined}
}

function regressionsSection(s: WeeklySummary, opts: WeeklyReportOptions): Section {
  const tol = `${(100 * opts.tolerance).toFixed(2).replace(/\.?0+$/, '')}%`
  const blocks: Block[] = []
  if (s.regressions.length === 0) {
    blocks.push({kind: 'note', tone: 'info', text: s.series.some((x) => x.metrics.some((m) => m.change !== null)) ? `No metric got worse by more than ${tol} between the two windows.` : 'Nothing to compare: no series has runs in both windows.'})
  } else {
    blocks.push({
      kind: 'table',
      columns: [
        {title: 'series', format: 'text'},
        {title: 'metric', format: 'text'},
        {title: 'previous mean', help: 'mean over the runs of the previous window'},
        {title: 'mean', help: 'mean over the runs of this window'},
        {title: 'change', format: 'text', help: '(mean - previous mean) / |previous mean|; calibration: the growth of |calibration - 1| flags it'},
      ],
      rows: s.regressions.map((r) => [r.series, r.path, r.previous_mean, r.mean, {value: `${r.relative_change === null ? formatNumber(r.mean - r.previous_mean) : pct(r.relative_change)} worse`, tone: 'bad'}]),
    })
  }
  return {
    id: 'regressions',
    title: s.regressions.length ? `Regressions (${s.regressions.length})` : 'Regressions',
    intro: `A metric regresses when this window's mean is worse than the previous window's mean by more than ${tol} of it. Better is higher for AUC, GAUC, PR-AUC, recall, hit rate, NDCG, MRR, MAP and coverage; lower for logloss, NE and Brier; closer to 1 for calibration. Counts and statistics (rows, z, p-values) are drawn but never flagged.`,
    blocks,
  }
}

interface AbRow {
  metric?: unknown
  arm?: unknown
  control?: unknown
  treatment?: unknown
  delta?: unknown
  delta_ci?: unknown
  lift?: unknown
  lift_ci?: unknown
  p_value?: unknown
  p_adjusted?: unknown
  significant?: unknown
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const pair = (v: unknown): readonly [number | null, number | null] | null => (Array.isArray(v) && v.length === 2 ? [num(v[0]), num(v[1])] : null)

function abSection(s: WeeklySummary): Section {
  const blocks: Block[] = []
  if (s.ab.length === 0) blocks.push({kind: 'note', tone: 'info', text: 'No A/B test (receval ab --record) was recorded in the window.'})
  for (const run of s.ab) {
    const srm = run.result.srm as {chi2?: unknown; p_value?: unknown; mismatch?: unknown} | undefined
    const results = (Array.isArray(run.result.results) ? run.result.results : []) as AbRow[]
    const tags = formatTags(run.tags)
    const srmText = srm && num(srm.p_value) !== null ? ` · SRM p = ${formatNumber(num(srm.p_value) as number)}${srm.mismatch === true ? ' (sample ratio mismatch)' : ''}` : ''
    const columns: TableColumn[] = [
      {title: 'metric', format: 'text'},
      {title: 'arm', format: 'text'},
      {title: 'control'},
      {title: 'treatment'},
      {title: 'Δ (t − c)'},
      {title: 'Δ CI', format: 'interval'},
      {title: 'lift', format: 'percent'},
      {title: 'lift CI', format: 'interval'},
      {title: 'p', format: 'p'},
      {title: 'p adjusted', format: 'p'},
      {title: 'significant', format: 'text'},
    ]
    const rows: Cell[][] = results.map((r) => [
      String(r.metric ?? ''),
      String(r.arm ?? ''),
      num(r.control),
      num(r.treatment),
      num(r.delta),
      pair(r.delta_ci),
      num(r.lift),
      pair(r.lift_ci),
      num(r.p_value),
      num(r.p_adjusted),
      r.significant === true ? {value: (num(r.delta) ?? 0) >= 0 ? 'yes, up' : 'yes, down', tone: (num(r.delta) ?? 0) >= 0 ? 'good' : 'bad'} : r.significant === false ? {value: 'no', tone: 'muted'} : null,
    ])
    blocks.push({kind: 'table', caption: `Run ${run.run_id} · ${day(run.created_at)}${tags ? ` · ${tags}` : ''}${srmText}`, columns, rows})
    if (srm?.mismatch === true) blocks.push({kind: 'note', tone: 'warn', text: `Run ${run.run_id}: the arms' unit counts do not match the expected split (SRM p < 0.001); its effects are not trustworthy until the assignment is fixed.`})
  }
  return {id: 'ab-tests', title: s.ab.length ? `A/B tests recorded (${s.ab.length})` : 'A/B tests recorded', intro: 'Every receval ab run recorded in the window, as it was recorded.', blocks}
}

/** Every value of the metric in both windows is an integer: a count (rows, positives, keys). */
function isCount(t: MetricTrend): boolean {
  return [...t.previous, ...t.points].every((p) => Number.isInteger(p.value))
}

function summaryTable(series: Series[], counts: boolean): Block | undefined {
  const rows: Cell[][] = []
  for (const s of series) {
    for (const m of s.metrics) {
      if (isCount(m) !== counts) continue
      if (m.constant && m.direction === null) continue
      rows.push([s.key, m.path, `${s.previous_runs} / ${s.runs}`, m.previous_mean, m.mean, m.last, changeCell(m)])
    }
  }
  if (rows.length === 0) return undefined
  const format = counts ? 'count' : 'auto'
  return {
    kind: 'table',
    caption: counts ? 'Counts, per series' : 'Every metric, per series',
    columns: [
      {title: 'series', format: 'text'},
      {title: counts ? 'count' : 'metric', format: 'text'},
      {title: 'runs', format: 'text', help: 'runs in the previous window / in this window'},
      {title: 'previous mean', format},
      {title: 'mean', format},
      {title: 'last', format, help: 'the newest value in this window'},
      {title: 'change', help: '(mean - previous mean) / |previous mean|'},
    ],
    rows,
  }
}

function commandSection(command: string, series: Series[], s: WeeklySummary, opts: WeeklyReportOptions): Section {
  // Charts draw at most one line per palette colour: the series with the most runs in the
  // window (then in the previous one), each in the same colour in every chart of the section.
  const drawn = [...series].sort((a, b) => b.runs - a.runs || b.previous_runs - a.previous_runs || (a.key < b.key ? -1 : 1)).slice(0, MAX_LINES)
  const colors = new Map(series.filter((x) => drawn.includes(x)).map((x, i) => [x.key, PALETTE[i]]))
  const paths: {path: string; rank: number}[] = []
  for (const x of series) {
    for (const m of x.metrics) {
      if (paths.some((p) => p.path === m.path)) continue
      paths.push({path: m.path, rank: m.direction !== null ? 0 : isCount(m) ? 2 : 1})
    }
  }
  // metrics with a better direction first, then other values, then counts (a stable sort keeps result order)
  paths.sort((a, b) => a.rank - b.rank)
  const blocks: Block[] = [summaryTable(series, false), summaryTable(series, true)].filter((b): b is Block => b !== undefined)
  const constant: string[] = []
  const window = {previousSince: s.previous_since, since: s.since, until: s.until}
  for (const {path} of paths) {
    const all = series.map((x) => ({series: x, trend: x.metrics.find((m) => m.path === path)})).filter((t): t is {series: Series; trend: MetricTrend} => t.trend !== undefined)
    const values = all.flatMap((t) => [...t.trend.previous, ...t.trend.points].map((p) => p.value))
    if (values.every((v) => v === values[0])) {
      constant.push(`${path} = ${values[0]}`)
      continue
    }
    const trends = all.filter((t) => colors.has(t.series.key))
    if (trends.length === 0) continue
    const counts = trends.every((t) => isCount(t.trend))
    const show = (v: number) => (counts ? formatCount(v) : formatNumber(v))
    const lines = trends.map((t) => ({name: t.series.key, color: colors.get(t.series.key), previous: t.trend.previous, points: t.trend.points}))
    const caption = trends
      .map((t) => {
        const m = t.trend
        const from = m.previous_mean === null ? 'no previous runs' : show(m.previous_mean)
        const to = m.mean === null ? 'no runs this window' : show(m.mean)
        const flag = m.regression ? ' (regression)' : m.improvement ? ' (improved)' : ''
        return `${t.series.key}: ${from} → ${to}${m.relative_change !== null ? ` (${pct(m.relative_change)})` : ''}${flag}`
      })
      .join('; ')
    blocks.push({
      kind: 'chart',
      title: path,
      spec: trendChart(path, lines, window),
      interactiveSpec: opts.interactive ? trendChart(path, lines, window, {hover: true}) : undefined,
      caption: `Means, previous window → this window: ${caption}.`,
      alt: `${path} over time for ${trends.map((t) => t.series.key).join(', ')}`,
    })
  }
  if (constant.length) blocks.push({kind: 'note', tone: 'info', text: `The same in every run of both windows (not drawn): ${constant.join(', ')}.`})
  if (series.length > MAX_LINES) {
    blocks.splice(2, 0, {kind: 'note', tone: 'warn', text: `${series.length} series: the charts draw the ${MAX_LINES} with the most runs in the window (${drawn.map((x) => x.key).join('; ')}); the tables list all. --by KEY groups runs into fewer series.`})
  }
  return {
    id: `trends-${command.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'runs'}`,
    title: `${command}: ${series.length} series`,
    intro: 'Each chart is one value of the recorded results over time, one line per series; the shaded part is the previous window, the dashed line where this window starts. Bars through points: the recorded interval (e.g. auc_ci).',
    blocks,
  }
}

/** The weekly report of `summary`. */
export function weeklyReport(s: WeeklySummary, meta: ReportMeta, opts: WeeklyReportOptions): Report {
  const commands = [...new Set(s.series.map((x) => x.command))]
  const facts: Fact[] = [
    {label: 'Window', value: windowText(s.since, s.until), help: `${s.since} to ${s.until} (exclusive), UTC`},
    {label: 'Previous window', value: windowText(s.previous_since, s.since)},
    {label: 'Runs', value: `${s.runs} (previous window: ${s.previous_runs})`},
    {label: 'Series', value: s.series.length},
    {label: 'Regressions', value: s.regressions.length},
    {label: 'A/B tests', value: s.ab.length},
    {label: 'Series by', value: opts.by ? `tags ${opts.by.join(', ')}` : s.volatile_tags.length ? `command and tags, except ${s.volatile_tags.join(', ')} (every run has its own value)` : 'command and tags'},
    {label: 'Run database', value: opts.db},
  ]
  const sections: Section[] = [regressionsSection(s, opts), abSection(s), ...commands.map((c) => commandSection(c, s.series.filter((x) => x.command === c), s, opts))]
  const notes: string[] = []
  if (s.runs === 0) notes.push(`No run was recorded in the window ${windowText(s.since, s.until)}.`)
  return {
    title: `Weekly report: ${windowText(s.since, s.until)}`,
    subtitle: `${s.runs} run${s.runs === 1 ? '' : 's'}, ${s.series.length} series, ${s.regressions.length} regression${s.regressions.length === 1 ? '' : 's'}, ${s.ab.length} A/B test${s.ab.length === 1 ? '' : 's'}`,
    meta,
    facts,
    sections,
    notes,
    data: {since: s.since, until: s.until, previous_since: s.previous_since, runs: s.runs, previous_runs: s.previous_runs, regressions: s.regressions},
  }
}
