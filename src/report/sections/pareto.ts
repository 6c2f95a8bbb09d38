import {plotSample} from '../../pareto/front.js'
import type {ParetoResult, ParetoSweepResult, ParetoTableResult} from '../../pareto/result.js'
import {plotCap} from '../../pareto/table.js'
import {frontierChart, ParetoPlot, parallelCoordinates, PlotPoint, scatterMatrix} from '../charts/pareto.js'
import {formatCount, formatNumber} from '../format.js'
import type {Block, Cell, Fact, Report, ReportMeta, Section, TableColumn} from '../types.js'

/**
 * The sections of a `receval pareto` report, built from the result object (the one `--json`
 * prints; in table mode with `chart_points`, which --html adds). Nothing is recomputed here:
 * every number on the page is a field of the result. docs/pareto.md describes the page.
 */

export interface ParetoReportOptions {
  /** add tooltips for --interactive pages */
  interactive?: boolean
}

/** Tables longer than this show their first rows and say so. */
const TABLE_ROWS = 1000
/** Text tags next to points only when there are at most this many to tag (weights in a sweep, row numbers of a table's frontier). */
const MAX_TAGS = 25
const MAX_ROW_TAGS = 12

const HELP = {
  frontier: 'No other point is at least as good in every objective and strictly better in one',
  hypervolume: 'Volume of the region the frontier dominates, bounded by the reference point (points not strictly better than it in every objective are left out)',
  knee: 'Frontier point farthest from the line (plane) through the extreme points, after normalizing each objective over the frontier',
  dominating: 'Hypervolume of the frontier with the baseline as the reference point: outcomes that beat the baseline in every objective',
  gain: 'Hypervolume of the frontier minus that of the baseline alone (same reference point)',
}

const fact = (label: string, value: Fact['value'], help?: string): Fact => (help ? {label, value, help} : {label, value})
const list = (xs: readonly string[], max = 12) => (xs.length === 0 ? 'none' : xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')}, … (${formatCount(xs.length)} in all)`)
const weight = (w: number) => String(Number(w.toPrecision(6)))

function kneeText(r: ParetoResult, name: (i: number) => string): string {
  if (r.knee === null) return `none (${r.knee_reason ?? 'undefined'})`
  const plane = r.knee_plane === 'unit' ? '; from the plane where the normalized objectives sum to 1' : ''
  return `${name(r.knee)} (normalized distance ${formatNumber(r.knee_distance ?? 0)}${plane})`
}

function hypervolumeFacts(r: ParetoResult, against: string): Fact[] {
  if (r.hypervolume === undefined || r.ref === undefined) return [fact('Hypervolume', 'not computed (no --ref)')]
  return [fact('Reference point', `${r.ref.map((v) => formatNumber(v)).join(', ')}${against}`), fact('Hypervolume', r.hypervolume, `${HELP.hypervolume}; from ${r.hypervolume_points} frontier points`)]
}

function baselineBlocks(b: {on_frontier: boolean; dominated_by: number[]; dominating_hypervolume: number; hypervolume_gain?: number}, name: (i: number) => string, what: string): Block[] {
  const facts: Fact[] = [
    fact('On the frontier', b.on_frontier ? 'yes: no point beats it in every objective' : 'no'),
    fact('Dominated by', list(b.dominated_by.map(name))),
    fact('Hypervolume improving on it in every objective', b.dominating_hypervolume, HELP.dominating),
  ]
  if (b.hypervolume_gain !== undefined) facts.push(fact('Hypervolume gained over it', b.hypervolume_gain, HELP.gain))
  return [{kind: 'note', text: `The baseline is ${what}.`}, {kind: 'facts', facts}]
}

function chartBlocks(plot: ParetoPlot, drawn: number, total: number, legend: string, opts: ParetoReportOptions): Block[] {
  const d = plot.axes.length
  const thinned = drawn < total ? ` Drawn: ${formatCount(drawn)} of ${formatCount(total)} points (every frontier point up to ${formatCount(plotCap(d) / 2)}, the others evenly spaced); the tables and numbers use all of them.` : ''
  if (d === 1) return [{kind: 'note', text: 'One objective: the frontier is the set of rows tied for its best value (no chart).'}]
  const hover = opts.interactive ? {hover: true} : undefined
  if (d === 2)
    return [
      {
        kind: 'chart',
        title: `${plot.axes[1].title} against ${plot.axes[0].title}`,
        spec: frontierChart(plot),
        interactiveSpec: hover ? frontierChart(plot, hover) : undefined,
        caption: `Blue: frontier points, joined by the boundary of the region they dominate; grey: dominated points; ring: the knee${plot.baseline ? '; diamond: the baseline' : ''}.${legend}${thinned}`,
        alt: `Pareto frontier of ${plot.axes[0].title} and ${plot.axes[1].title}`,
        width: 'wide',
      },
    ]
  return [
    {
      kind: 'chart',
      title: 'Every pair of objectives',
      spec: scatterMatrix(plot),
      interactiveSpec: hover ? scatterMatrix(plot, hover) : undefined,
      caption: `Scatter matrix: each panel is one pair of objectives. Blue: frontier; grey: dominated (in all ${d} objectives, not in the pair shown); ring: the knee${plot.baseline ? '; diamond: the baseline' : ''}.${thinned}`,
      alt: `Scatter matrix of ${plot.axes.map((a) => a.title).join(', ')}`,
      width: 'wide',
    },
    {
      kind: 'chart',
      title: 'Parallel coordinates',
      spec: parallelCoordinates(plot),
      interactiveSpec: hover ? parallelCoordinates(plot, hover) : undefined,
      caption: `One line per point. Each axis runs from the worst (0) to the best (1) drawn value, so up is better everywhere; a frontier line that crosses others is a trade-off.${thinned}`,
      alt: `Parallel coordinates of ${plot.axes.map((a) => a.title).join(', ')}`,
      width: 'wide',
    },
  ]
}

function truncated(n: number): string | undefined {
  return n > TABLE_ROWS ? `First ${formatCount(TABLE_ROWS)} of ${formatCount(n)} rows; --json has all of them.` : undefined
}

// ---- table mode

function tableSections(r: ParetoTableResult, opts: ParetoReportOptions): Section[] {
  const cp = r.chart_points
  if (!cp) throw new Error('paretoReport: a table-mode result needs chart_points (the command adds them with --html)')
  const onFront = new Set(r.frontier)
  const rowName = (i: number) => `row ${i}`
  const tagAll = r.frontier.length <= MAX_ROW_TAGS
  const points: PlotPoint[] = cp.rows.map((row, t) => ({name: rowName(row), tag: tagAll && onFront.has(row) ? String(row) : '', values: cp.values[t], frontier: onFront.has(row), knee: row === r.knee}))
  const plot: ParetoPlot = {axes: r.objectives.map((o) => ({title: o.column, sense: o.sense})), points}
  if (r.baseline) plot.baseline = {name: `baseline (row ${r.baseline.row})`, values: r.objectives.map((o) => (r.baseline as NonNullable<typeof r.baseline>).values[o.column])}
  const legend = tagAll ? ' Labels: frontier row numbers (0-based).' : ''
  const sections: Section[] = [{id: 'frontier', title: 'Frontier', intro: `${formatCount(r.frontier.length)} of ${formatCount(r.points)} rows are on the frontier: ${HELP.frontier.toLowerCase()}.`, blocks: chartBlocks(plot, cp.rows.length, cp.total, legend, opts)}]
  const byRow = new Map(cp.rows.map((row, t) => [row, cp.values[t]]))
  const frontRows = r.frontier.filter((row) => byRow.has(row)).slice(0, TABLE_ROWS)
  const columns: TableColumn[] = [{title: 'row', format: 'count', help: '0-based data row'}, ...r.objectives.map((o): TableColumn => ({title: `${o.column} (${o.sense})`, digits: 6})), {title: 'note', format: 'text'}]
  const rows: Cell[][] = frontRows.map((row) => [row, ...(byRow.get(row) as number[]), [row === r.knee ? 'knee' : '', row === r.baseline?.row ? 'baseline' : ''].filter(Boolean).join(', ')])
  sections.push({id: 'frontier-rows', title: 'Frontier rows', blocks: [{kind: 'table', columns, rows, footnote: r.frontier.length > frontRows.length ? `${formatCount(frontRows.length)} of ${formatCount(r.frontier.length)} frontier rows shown; --json lists all of them.` : undefined}]})
  if (r.baseline) sections.push({id: 'baseline', title: 'Baseline', blocks: baselineBlocks(r.baseline, rowName, `row ${r.baseline.row}`)})
  return sections
}

function tableFacts(r: ParetoTableResult): Fact[] {
  const facts: Fact[] = [fact('Points (rows)', r.points, r.dropped_rows ? `(${formatCount(r.dropped_rows)} dropped by --drop-invalid)` : undefined)]
  facts.push(fact('Objectives', r.objectives.map((o) => `${o.column} (${o.sense})`).join(', ')))
  facts.push(fact('Frontier points', r.frontier.length, HELP.frontier))
  facts.push(...hypervolumeFacts(r, ''))
  facts.push(fact('Knee', kneeText(r, (i) => `row ${i}`), HELP.knee))
  if (r.baseline) facts.push(fact('Baseline', `row ${r.baseline.row}`))
  return facts
}

// ---- sweep mode

function sweepSections(r: ParetoSweepResult, opts: ParetoReportOptions): Section[] {
  const names = r.tasks.map((t) => t.name)
  const gName = (g: number) => `#${g}`
  const wText = (w: Record<string, number>) => names.map((n) => weight(w[n])).join(' : ')
  const drawn = plotSample(r.grid.length, r.frontier, plotCap(names.length))
  const tagAll = r.grid.length <= MAX_TAGS
  const tagFront = !tagAll && r.frontier.length <= MAX_TAGS
  const points: PlotPoint[] = drawn.map((g) => {
    const p = r.grid[g]
    return {name: `${gName(g)} (${names.map((n) => `${n} ${weight(p.weights[n])}`).join(', ')})`, tag: tagAll || (tagFront && p.on_frontier) ? wText(p.weights) : '', values: names.map((n) => p.metrics[n]), frontier: p.on_frontier, knee: g === r.knee}
  })
  const plot: ParetoPlot = {axes: names.map((n) => ({title: `${n} ${r.metric}`, sense: 'max' as const})), points}
  if (r.baseline) plot.baseline = {name: `baseline (${names.map((n) => `${n} ${weight((r.baseline as NonNullable<typeof r.baseline>).weights[n])}`).join(', ')})`, values: names.map((n) => (r.baseline as NonNullable<typeof r.baseline>).metrics[n])}
  const legend = tagAll || tagFront ? ` Labels: the weights ${names.join(' : ')}${tagFront ? ' of the frontier points' : ''}.` : ''
  const sections: Section[] = [
    {
      id: 'frontier',
      title: 'Frontier of the fusion weights',
      intro: `Each point is one weight vector; its coordinates are each task's ${r.metric} of the fused score. ${formatCount(r.frontier.length)} of ${formatCount(r.grid.length)} weight vectors are on the frontier.`,
      blocks: chartBlocks(plot, drawn.length, r.grid.length, legend, opts),
    },
  ]
  const shown = r.grid.slice(0, TABLE_ROWS)
  const columns: TableColumn[] = [
    {title: '#', format: 'count', help: 'index into grid (the JSON "grid" array)'},
    ...names.map((n): TableColumn => ({title: `w ${n}`, format: 'text'})),
    ...names.map((n): TableColumn => ({title: `${n} ${r.metric}`, digits: 6})),
    {title: 'frontier', format: 'text', help: HELP.frontier},
    {title: 'note', format: 'text'},
  ]
  const rows: Cell[][] = shown.map((p, g) => [
    g,
    ...names.map((n) => weight(p.weights[n])),
    ...names.map((n) => p.metrics[n]),
    p.on_frontier ? {value: 'yes', tone: 'good'} : {value: 'no', tone: 'muted'},
    [g === r.knee ? 'knee' : '', g === r.baseline?.grid_index ? 'baseline' : ''].filter(Boolean).join(', '),
  ])
  sections.push({id: 'grid', title: 'Every weight vector', blocks: [{kind: 'table', columns, rows, footnote: truncated(r.grid.length)}]})
  if (r.baseline) {
    const b = r.baseline
    const what = `${names.map((n) => `${n} ${weight(b.weights[n])}`).join(', ')}${b.grid_index !== null ? ` (grid point #${b.grid_index})` : ' (off the grid)'}, with ${names.map((n) => `${n} ${r.metric} ${formatNumber(b.metrics[n], 6)}`).join(', ')}`
    sections.push({id: 'baseline', title: 'Baseline', blocks: baselineBlocks(b, gName, what)})
  }
  return sections
}

function sweepFacts(r: ParetoSweepResult): Fact[] {
  const facts: Fact[] = [fact('Rows', r.rows, r.dropped_rows ? `(${formatCount(r.dropped_rows)} dropped by --drop-invalid)` : undefined)]
  for (const t of r.tasks) {
    const groups = t.groups !== undefined ? `, ${formatCount(t.groups)} groups (${formatCount(t.groups_skipped ?? 0)} skipped)` : ''
    facts.push(fact(`Task ${t.name}`, `score ${t.score}, label ${t.label}${t.filter ? ` on rows where ${t.filter} is 1` : ''}: ${formatCount(t.rows)} rows, ${formatCount(t.positives)} positives${groups}`))
  }
  facts.push(fact('Metric', r.metric + (r.group ? ` by ${r.group}` : '')))
  facts.push(fact('Fusion', `${r.fusion === 'product' ? 'product: Σ w_i ln s_i' : 'sum: Σ w_i s_i'}${r.times ? `, times ${r.times}` : ''}`))
  facts.push(fact('Weight vectors', `${formatCount(r.grid.length)} (multiples of 1/${r.steps})`))
  facts.push(fact('Frontier points', r.frontier.length, HELP.frontier))
  const against = r.ref_source === 'ref' ? ' (--ref)' : r.ref_source === 'baseline' ? ' (the baseline)' : ' (the worst value of each metric over the grid)'
  facts.push(...hypervolumeFacts(r, against))
  facts.push(fact('Knee', kneeText(r, (g) => `#${g} (${r.tasks.map((t) => `${t.name} ${weight(r.grid[g].weights[t.name])}`).join(', ')})`), HELP.knee))
  return facts
}

/** Every section of a pareto report, in page order. */
export function paretoSections(r: ParetoResult, opts: ParetoReportOptions = {}): Section[] {
  return r.mode === 'table' ? tableSections(r, opts) : sweepSections(r, opts)
}

/** The whole pareto report: frame, sections and notes, from the result and the run's frame. */
export function paretoReport(r: ParetoResult, meta: ReportMeta, opts: ParetoReportOptions = {}): Report {
  const data: Record<string, unknown> = {...r}
  delete data.chart_points
  const subtitle =
    r.mode === 'table'
      ? `objectives ${r.objectives.map((o) => `${o.column} (${o.sense})`).join(', ')}`
      : `sweep of ${r.tasks.map((t) => t.name).join(' / ')} fusion weights · ${r.metric} · ${r.fusion} fusion${r.times ? ` times ${r.times}` : ''}`
  return {
    title: `Pareto report: ${r.file}`,
    subtitle,
    meta,
    facts: r.mode === 'table' ? tableFacts(r) : sweepFacts(r),
    sections: paretoSections(r, opts),
    notes: r.notes,
    data,
  }
}
