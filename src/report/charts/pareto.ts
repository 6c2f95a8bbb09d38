import type {TopLevelSpec} from 'vega-lite'
import type {Sense} from '../../pareto/dominance.js'
import {CONFIG, PALETTE, SCHEMA, sig6} from './theme.js'

/**
 * Chart specs of `receval pareto` reports: plain functions from the points of a result to
 * vega-lite specs with the data inline. Golden copies live in test/report/golden.
 *
 * - `frontierChart` (2 objectives): every drawn point, the frontier as a step line (the boundary
 *   of the region the frontier dominates), the knee ringed, the baseline as a diamond, text
 *   labels (weights in a sweep) next to points;
 * - `scatterMatrix` (3+ objectives): the same points in every pair of objectives;
 * - `parallelCoordinates` (3+ objectives): one line per point across the objectives, each axis
 *   scaled from the worst (0) to the best (1) drawn value.
 *
 * The reference point is not drawn: it usually lies far from the points (0.5 for AUCs, a latency
 * budget) and would squeeze them into a corner; its value and the hypervolume are in the facts.
 * `hover: true` adds tooltips, for the interactive page only.
 */

export interface PlotPoint {
  /** what the tooltip and the table call it: "#3", "row 12" */
  name: string
  /** the text drawn next to the point (weights in a sweep); '' for none */
  tag: string
  values: number[]
  frontier: boolean
  knee: boolean
}

export interface ParetoPlot {
  /** objective axis titles and senses, in objective order */
  axes: {title: string; sense: Sense}[]
  points: PlotPoint[]
  baseline?: {name: string; values: number[]}
}

export interface ChartOptions {
  hover?: boolean
}

type Layer = Record<string, unknown>

/** Point kinds: colour, shape and size of each (one legend, with the kinds present). */
const KINDS = {dominated: ['#a8a8a8', 'circle', 32], frontier: [PALETTE[0], 'circle', 50], baseline: [PALETTE[1], 'diamond', 170]} as const
type Kind = keyof typeof KINDS

function kindsOf(plot: ParetoPlot): Kind[] {
  return (Object.keys(KINDS) as Kind[]).filter((k) => (k === 'baseline' ? plot.baseline !== undefined : plot.points.some((p) => p.frontier === (k === 'frontier'))))
}

function colorShape(plot: ParetoPlot): {color: Layer; shape: Layer} {
  const kinds = kindsOf(plot)
  const legend = {title: null, orient: 'bottom', direction: 'horizontal'}
  return {
    color: {field: 'k', type: 'nominal', scale: {domain: kinds, range: kinds.map((k) => KINDS[k][0])}, legend},
    shape: {field: 'k', type: 'nominal', scale: {domain: kinds, range: kinds.map((k) => KINDS[k][1])}, legend},
  }
}

function topLevel(spec: Record<string, unknown>): TopLevelSpec {
  return spec as unknown as TopLevelSpec
}

/** A value for drawing: 6 significant digits (far below a pixel), full precision stays in the tables. */
function d6(v: number): number {
  return sig6(v) as number
}

const better = (v: number, s: Sense) => (s === 'max' ? v : -v)

/**
 * The vertices of the boundary of the region a 2-D frontier dominates: between consecutive
 * frontier points (by the first objective) it steps to the next point's second objective first.
 * @example staircase([[1, 3], [2, 2], [3, 1]], ['max', 'max']) // [[1,3],[1,2],[2,2],[2,1],[3,1]]
 */
export function staircase(front: number[][], senses: readonly Sense[]): number[][] {
  const [sx, sy] = senses
  // in "larger is better" coordinates, sorted by x ascending (then y descending): y falls along it
  const pts = front.map((p) => [better(p[0], sx), better(p[1], sy)]).sort((a, b) => a[0] - b[0] || b[1] - a[1])
  const uniq = pts.filter((p, i) => i === 0 || p[0] !== pts[i - 1][0] || p[1] !== pts[i - 1][1])
  const out: number[][] = []
  uniq.forEach((p, i) => {
    if (i > 0) out.push([uniq[i - 1][0], p[1]])
    out.push(p)
  })
  return out.map(([x, y]) => [better(x, sx), better(y, sy)])
}

/** Rows of the points of one kind, values in fields v0, v1, ... */
function pointRows(plot: ParetoPlot, kind: Kind): Record<string, unknown>[] {
  const row = (name: string, tag: string, values: number[]) => {
    const r: Record<string, unknown> = {k: kind, n: name, t: tag}
    values.forEach((v, j) => (r[`v${j}`] = d6(v)))
    return r
  }
  if (kind === 'baseline') return plot.baseline ? [row(plot.baseline.name, '', plot.baseline.values)] : []
  return plot.points.filter((p) => p.frontier === (kind === 'frontier')).map((p) => row(p.name, p.tag, p.values))
}

function axis(plot: ParetoPlot, j: number, channel: 'x' | 'y'): Record<string, unknown> {
  const a = plot.axes[j]
  return {field: `v${j}`, type: 'quantitative', title: `${a.title} (${a.sense === 'max' ? 'higher' : 'lower'} is better)`, scale: {zero: false, nice: true}, axis: {tickCount: channel === 'x' ? 6 : 5}}
}

function tooltip(plot: ParetoPlot): Record<string, unknown>[] {
  return [{field: 'n', title: 'point'}, ...plot.axes.map((a, j) => ({field: `v${j}`, title: a.title}))]
}

function markLayers(plot: ParetoPlot, x: Record<string, unknown>, y: Record<string, unknown>, opts: ChartOptions, withTags: boolean): Layer[] {
  const {color, shape} = colorShape(plot)
  // one layer per kind, dominated first so frontier points and the baseline are drawn on top
  const layers: Layer[] = kindsOf(plot).map((k) => ({
    data: {values: pointRows(plot, k)},
    mark: {type: 'point', filled: true, opacity: 0.9, size: KINDS[k][2], stroke: '#ffffff', strokeWidth: 0.7},
    encoding: {x, y, color, shape, tooltip: opts.hover ? tooltip(plot) : undefined},
  }))
  const knees = plot.points.filter((p) => p.knee)
  if (knees.length)
    layers.push({
      data: {values: knees.map((p) => Object.fromEntries(p.values.map((v, j) => [`v${j}`, d6(v)])))},
      mark: {type: 'point', filled: false, size: 260, strokeWidth: 1.8, color: PALETTE[2], opacity: 1},
      encoding: {x, y},
    })
  const tagged = withTags ? plot.points.filter((p) => p.tag !== '') : []
  if (tagged.length)
    layers.push({
      data: {values: tagged.map((p) => ({t: p.tag, ...Object.fromEntries(p.values.map((v, j) => [`v${j}`, d6(v)]))}))},
      mark: {type: 'text', align: 'left', baseline: 'bottom', dx: 5, dy: -3, fontSize: 10, color: '#444444'},
      encoding: {x, y, text: {field: 't', type: 'nominal'}},
    })
  return layers
}

/**
 * Two objectives: every point, the frontier's step line, the knee (ringed), the baseline
 * (diamond) and the text tags.
 * @example frontierChart({axes: [{title: 'ctr auc', sense: 'max'}, {title: 'cvr auc', sense: 'max'}], points})
 */
export function frontierChart(plot: ParetoPlot, opts: ChartOptions = {}): TopLevelSpec {
  if (plot.axes.length !== 2) throw new RangeError(`frontierChart: needs 2 objectives, got ${plot.axes.length}`)
  const x = axis(plot, 0, 'x')
  const y = axis(plot, 1, 'y')
  const front = plot.points.filter((p) => p.frontier).map((p) => p.values)
  const steps = staircase(front, [plot.axes[0].sense, plot.axes[1].sense])
  const step: Layer = {
    data: {values: steps.map(([a, b], i) => ({i, v0: d6(a), v1: d6(b)}))},
    mark: {type: 'line', color: PALETTE[0], strokeWidth: 1.5, interpolate: 'linear'},
    encoding: {x, y, order: {field: 'i', type: 'quantitative'}},
  }
  return topLevel({
    $schema: SCHEMA,
    description: `Pareto frontier of ${plot.axes.map((a) => a.title).join(' and ')}: points, step line of the frontier, baseline and knee`,
    width: 420,
    height: 320,
    config: CONFIG,
    layer: [step, ...markLayers(plot, x, y, opts, true)],
  })
}

/** Three or more objectives: one scatter panel per pair (lower triangle: objective i against j < i). */
export function scatterMatrix(plot: ParetoPlot, opts: ChartOptions = {}): TopLevelSpec {
  const d = plot.axes.length
  if (d < 3) throw new RangeError(`scatterMatrix: needs 3 or more objectives, got ${d}`)
  const side = d <= 3 ? 200 : d === 4 ? 170 : 140
  const rows = []
  for (let i = 1; i < d; i++) {
    const panels = []
    for (let j = 0; j < i; j++) panels.push({width: side, height: side, layer: markLayers(plot, axis(plot, j, 'x'), axis(plot, i, 'y'), opts, false)})
    rows.push({hconcat: panels})
  }
  return topLevel({
    $schema: SCHEMA,
    description: `Scatter matrix of ${plot.axes.map((a) => a.title).join(', ')}: every pair of objectives`,
    config: CONFIG,
    vconcat: rows,
    resolve: {scale: {color: 'shared', shape: 'shared'}},
  })
}

/**
 * Three or more objectives: one line per point across the objective axes. Each axis runs from the
 * worst (0) to the best (1) value among the drawn points and the baseline, so up is better on
 * every axis; the tooltip has the raw values.
 */
export function parallelCoordinates(plot: ParetoPlot, opts: ChartOptions = {}): TopLevelSpec {
  const d = plot.axes.length
  if (d < 3) throw new RangeError(`parallelCoordinates: needs 3 or more objectives, got ${d}`)
  const all = [...plot.points.map((p) => p.values), ...(plot.baseline ? [plot.baseline.values] : [])]
  const lo = plot.axes.map((a, j) => Math.min(...all.map((v) => better(v[j], a.sense))))
  const hi = plot.axes.map((a, j) => Math.max(...all.map((v) => better(v[j], a.sense))))
  const titles = plot.axes.map((a) => a.title)
  const rows: Record<string, unknown>[] = []
  const add = (id: number, k: string, name: string, values: number[]) =>
    values.forEach((v, j) => rows.push({p: id, k, n: name, a: titles[j], u: hi[j] > lo[j] ? d6((better(v, plot.axes[j].sense) - lo[j]) / (hi[j] - lo[j])) : 0.5, v: d6(v)}))
  let id = 0
  for (const p of plot.points) if (!p.frontier) add(id++, 'dominated', p.name, p.values)
  for (const p of plot.points) if (p.frontier) add(id++, 'frontier', p.name, p.values)
  if (plot.baseline) add(id++, 'baseline', plot.baseline.name, plot.baseline.values)
  const x = {field: 'a', type: 'nominal', sort: titles, title: null, axis: {labelAngle: 0, domain: false, ticks: false, grid: true, gridColor: '#bdbdbd', labelLimit: 160}}
  const y = {field: 'u', type: 'quantitative', title: 'worst (0) to best (1) drawn value', scale: {domain: [0, 1], nice: false}, axis: {tickCount: 5}}
  const line = (k: string, strokeWidth: number, opacity: number): Layer => ({
    transform: [{filter: `datum.k === '${k}'`}],
    mark: {type: 'line', strokeWidth, opacity},
    encoding: {x, y, detail: {field: 'p', type: 'nominal'}, color: colorShape(plot).color, tooltip: opts.hover ? [{field: 'n', title: 'point'}, {field: 'a', title: 'objective'}, {field: 'v', title: 'value'}] : undefined},
  })
  return topLevel({
    $schema: SCHEMA,
    description: `Parallel coordinates of ${titles.join(', ')}: one line per point, up is better on every axis`,
    width: Math.max(360, 120 * d),
    height: 260,
    config: CONFIG,
    data: {values: rows},
    layer: [line('dominated', 1, 0.35), line('frontier', 1.4, 0.8), ...(plot.baseline ? [line('baseline', 2.5, 1)] : [])],
  })
}
