import type {TopLevelSpec} from 'vega-lite'
import type {GroupAucDistribution, ScoreDistribution} from '../../metrics/distribution.js'
import type {OperatingCurve} from '../../metrics/operating-curve.js'
import type {ReliabilityBins} from '../../metrics/reliability.js'
import type {ThresholdRow} from '../../metrics/thresholds.js'
import {CONFIG, niceCeil, PALETTE, r6, REFERENCE, SCHEMA, sig6} from './theme.js'

/**
 * Chart specs of `receval auc` reports: plain functions from result data to vega-lite specs with
 * the data inline. Golden copies live in test/report/golden; a change here is a visible diff there.
 * `hover: true` adds invisible points with tooltips, for the interactive page only (they would
 * bloat the static SVG).
 */

export interface CurveSeries {
  /** score column name */
  name: string
  /** the area metric shown in the legend (AUC for ROC, average precision for PR) */
  area: number | null
  curve: OperatingCurve
  /** the --thresholds operating points, drawn as dots */
  thresholds?: ThresholdRow[]
}

export interface ChartOptions {
  hover?: boolean
}

const SIZE = 340

/** Curves with at most this many points show them as dots. */
const FEW_POINTS = 50

type Layer = Record<string, unknown>

/**
 * The specs are assembled from small shared pieces (axes, colour scales), which TypeScript widens
 * past vega-lite's literal-typed unions; the golden spec tests and the warning-free render test
 * are what check them.
 */
function topLevel(spec: Record<string, unknown>): TopLevelSpec {
  return spec as unknown as TopLevelSpec
}

function legendLabel(name: string, metric: string, v: number | null): string {
  return `${name} (${metric} ${v === null ? 'n/a' : v.toFixed(4)})`
}

/** The curve points live once in the spec's `datasets` and are shared by the line and hover layers. */
const CURVE_DATA = 'curves'

function curveLayers(series: CurveSeries[], kind: 'roc' | 'pr', opts: ChartOptions): {layers: Layer[]; rows: object[]} {
  const metric = kind === 'roc' ? 'AUC' : 'AP'
  const labels = series.map((s) => legendLabel(s.name, metric, s.area))
  const xTitle = kind === 'roc' ? 'False positive rate' : 'Recall (true positive rate)'
  const yTitle = kind === 'roc' ? 'True positive rate' : 'Precision'
  const rows = series.flatMap((s, k) =>
    s.curve.tpr.map((tpr, i) => {
      const x = kind === 'roc' ? s.curve.fpr[i] : tpr
      const y = kind === 'roc' ? tpr : (s.curve.precision[i] as number)
      return {s: labels[k], i, x: r6(x), y: r6(y), t: sig6(s.curve.threshold[i])}
    }),
  )
  const x = {field: 'x', type: 'quantitative', title: xTitle, scale: {domain: [0, 1], nice: false}, axis: {tickCount: 5}}
  const y = {field: 'y', type: 'quantitative', title: yTitle, scale: {domain: [0, 1], nice: false}, axis: {tickCount: 5}}
  const color = {field: 's', type: 'nominal', scale: {domain: labels, range: PALETTE}, legend: {title: null, symbolType: 'stroke'}}
  // few points (small inputs, few distinct scores): mark them, a single one would not draw as a line
  const few = series.every((s) => s.curve.tpr.length <= FEW_POINTS)
  const layers: Layer[] = [
    {data: {name: CURVE_DATA}, mark: {type: 'line', strokeWidth: 2, interpolate: 'linear', ...(few ? {point: {filled: true, size: 24}} : {})}, encoding: {x, y, color, order: {field: 'i', type: 'quantitative'}}},
  ]
  const dots = series.flatMap((s, k) =>
    (s.thresholds ?? [])
      .filter((t) => t.tpr !== null && (kind === 'roc' ? t.fpr !== null : t.precision !== null))
      .map((t) => ({s: labels[k], t: sig6(t.threshold), x: r6((kind === 'roc' ? t.fpr : t.tpr) as number), y: r6((kind === 'roc' ? t.tpr : t.precision) as number)})),
  )
  if (dots.length)
    layers.push({
      data: {values: dots},
      mark: {type: 'point', filled: true, size: 55, stroke: '#ffffff', strokeWidth: 1, opacity: 1},
      encoding: {x, y, color, tooltip: opts.hover ? [{field: 't', title: 'threshold'}, {field: 'x', title: xTitle}, {field: 'y', title: yTitle}] : undefined},
    })
  if (opts.hover)
    layers.push({
      data: {name: CURVE_DATA},
      // filled so that the invisible points catch the pointer anywhere inside them
      mark: {type: 'point', filled: true, opacity: 0, size: 90},
      encoding: {x, y, color, tooltip: [{field: 's', title: 'score'}, {field: 't', title: 'threshold'}, {field: 'x', title: xTitle, format: '.4f'}, {field: 'y', title: yTitle, format: '.4f'}]},
    })
  return {layers, rows}
}

/**
 * ROC curves of every score overlaid, with the chance diagonal.
 * @example rocChart([{name: 'pctr', area: 0.71, curve: result.curves.pctr.roc}])
 */
export function rocChart(series: CurveSeries[], opts: ChartOptions = {}): TopLevelSpec {
  const {layers, rows} = curveLayers(series, 'roc', opts)
  const diagonal: Layer = {
    data: {values: [{x: 0, y: 0}, {x: 1, y: 1}]},
    mark: {type: 'line', color: REFERENCE, strokeWidth: 1, strokeDash: [4, 4]},
    encoding: {x: {field: 'x', type: 'quantitative'}, y: {field: 'y', type: 'quantitative'}},
  }
  return topLevel({
    $schema: SCHEMA,
    description: `ROC curves of ${series.map((s) => s.name).join(', ')}; dashed: chance`,
    width: SIZE,
    height: SIZE,
    config: CONFIG,
    datasets: {[CURVE_DATA]: rows},
    layer: [diagonal, ...layers],
  })
}

/**
 * Precision-recall curves of every score overlaid, with the base rate (the precision of a random
 * ranking) as a dashed line.
 * @param baseRate positives / (positives + negatives)
 */
export function prChart(series: CurveSeries[], baseRate: number, opts: ChartOptions = {}): TopLevelSpec {
  const {layers, rows} = curveLayers(series, 'pr', opts)
  const base: Layer = {
    data: {values: [{y: r6(baseRate)}]},
    mark: {type: 'rule', color: REFERENCE, strokeWidth: 1, strokeDash: [4, 4]},
    encoding: {y: {field: 'y', type: 'quantitative'}},
  }
  return topLevel({
    $schema: SCHEMA,
    description: `Precision-recall curves of ${series.map((s) => s.name).join(', ')}; dashed: base rate`,
    width: SIZE,
    height: SIZE,
    config: CONFIG,
    datasets: {[CURVE_DATA]: rows},
    layer: [base, ...layers],
  })
}

export interface ReliabilitySeries {
  name: string
  bins: ReliabilityBins
}

/**
 * Reliability diagram: the observed positive rate against the mean score of each equal-frequency
 * bin, with the bin's interval as a vertical bar and the diagonal of perfect calibration. Both
 * axes span [0, m], m a round number above every point, so the diagonal stays at 45 degrees.
 */
export function reliabilityChart(series: ReliabilitySeries[], opts: ChartOptions = {}): TopLevelSpec {
  const labels = series.map((s) => s.name)
  let top = 0
  const rows = series.flatMap((s) =>
    s.bins.rate.map((rate, i) => {
      const lo = s.bins.rate_low[i]
      const hi = s.bins.rate_high[i]
      top = Math.max(top, s.bins.mean_score[i], rate, hi ?? 0)
      return {s: s.name, i, x: r6(s.bins.mean_score[i]), y: r6(rate), lo: lo === null ? null : r6(lo), hi: hi === null ? null : r6(hi), n: s.bins.count[i], p: s.bins.positives[i]}
    }),
  )
  const m = niceCeil(top * 1.04, 1)
  const x = {field: 'x', type: 'quantitative', title: 'Mean score in bin', scale: {domain: [0, m], nice: false}, axis: {tickCount: 5}}
  const y = {field: 'y', type: 'quantitative', title: 'Observed positive rate', scale: {domain: [0, m], nice: false}, axis: {tickCount: 5}}
  const color = {field: 's', type: 'nominal', scale: {domain: labels, range: PALETTE}, legend: {title: null}}
  const tooltip = opts.hover
    ? [{field: 's', title: 'score'}, {field: 'x', title: 'mean score', format: '.4f'}, {field: 'y', title: 'observed rate', format: '.4f'}, {field: 'n', title: 'rows', format: ',~r'}, {field: 'p', title: 'positives', format: ',~r'}]
    : undefined
  const layers: Layer[] = [
    {
      data: {values: [{x: 0, y: 0}, {x: m, y: m}]},
      mark: {type: 'line', color: REFERENCE, strokeWidth: 1, strokeDash: [4, 4], clip: true},
      encoding: {x: {field: 'x', type: 'quantitative'}, y: {field: 'y', type: 'quantitative'}},
    },
  ]
  if (rows.some((r) => r.lo !== null))
    layers.push({
      data: {values: rows.filter((r) => r.lo !== null)},
      mark: {type: 'rule', strokeWidth: 1.5, opacity: 0.6},
      encoding: {x, y: {field: 'lo', type: 'quantitative'}, y2: {field: 'hi'}, color},
    })
  layers.push({
    data: {values: rows},
    mark: {type: 'line', strokeWidth: 1.5, point: {filled: true, size: 36}},
    encoding: {x, y, color, order: {field: 'i', type: 'quantitative'}, tooltip},
  })
  return topLevel({
    $schema: SCHEMA,
    description: `Reliability diagram of ${labels.join(', ')}; dashed: perfect calibration`,
    width: SIZE,
    height: SIZE,
    config: CONFIG,
    layer: layers,
  })
}

/**
 * The score distribution of positives and of negatives, each as the share of its class per
 * equal-width bin (classes are usually very unequal in size), drawn as overlaid step areas.
 * @param weighted counts are weight sums (only changes the axis title)
 */
export function scoreDistributionChart(name: string, d: ScoreDistribution, weighted = false, opts: ChartOptions = {}): TopLevelSpec {
  const P = d.positives.reduce((a, b) => a + b, 0)
  const N = d.negatives.reduce((a, b) => a + b, 0)
  const rows: {c: string; x: number; y: number; n: number}[] = []
  for (const [c, counts, total] of [['negatives', d.negatives, N], ['positives', d.positives, P]] as const) {
    counts.forEach((n, i) => rows.push({c, x: r6(d.edges[i]), y: r6(total > 0 ? n / total : 0), n}))
    // step-after needs the right edge of the last bin
    const last = counts.length - 1
    rows.push({c, x: r6(d.edges[last + 1]), y: r6(total > 0 ? counts[last] / total : 0), n: counts[last]})
  }
  const lo = d.edges[0]
  const hi = d.edges[d.edges.length - 1]
  const x = {field: 'x', type: 'quantitative', title: `Score (${name})`, scale: {domain: hi > lo ? [r6(lo), r6(hi)] : [r6(lo - 0.5), r6(hi + 0.5)], nice: false, zero: false}, axis: {tickCount: 5}}
  const y = {field: 'y', type: 'quantitative', title: weighted ? 'Share of class weight' : 'Share of class rows', axis: {format: '.0%', tickCount: 4}}
  const color = {field: 'c', type: 'nominal', scale: {domain: ['negatives', 'positives'], range: [PALETTE[0], PALETTE[1]]}, legend: {title: null, orient: 'top-right', direction: 'vertical', fillColor: '#ffffffcc'}}
  return topLevel({
    $schema: SCHEMA,
    description: `Score distribution of ${name} by label`,
    width: SIZE,
    height: 190,
    config: CONFIG,
    data: {values: rows},
    mark: {type: 'area', interpolate: 'step-after', opacity: 0.28, line: {strokeWidth: 1.5}},
    encoding: {
      x,
      y: {...y, stack: null},
      color,
      tooltip: opts.hover ? [{field: 'c', title: 'class'}, {field: 'x', title: 'bin from', format: '.4~g'}, {field: 'y', title: 'share', format: '.2%'}, {field: 'n', title: weighted ? 'weight' : 'rows', format: ',~r'}] : undefined,
    },
  })
}

/**
 * The distribution of per-group AUC over [0, 1] (groups having both classes), with GAUC (groups
 * weighted by rows) and the unweighted mean as vertical rules.
 */
const RULES = ['GAUC (row-weighted)', 'mean group AUC']
const ruleLegend = {title: null, orient: 'top-left', fillColor: '#ffffffcc', symbolStrokeWidth: 2}

export function groupAucChart(name: string, d: GroupAucDistribution, gauc: number | null, gaucUnweighted: number | null, opts: ChartOptions = {}): TopLevelSpec {
  const bars = d.groups.map((n, i) => ({x: r6(d.edges[i]), x2: r6(d.edges[i + 1]), n}))
  const rules = [
    ...(gauc === null ? [] : [{k: RULES[0], v: r6(gauc)}]),
    ...(gaucUnweighted === null ? [] : [{k: RULES[1], v: r6(gaucUnweighted)}]),
  ]
  const x = {field: 'x', type: 'quantitative', title: `AUC within group (${name})`, scale: {domain: [0, 1], nice: false}, axis: {tickCount: 5}}
  return topLevel({
    $schema: SCHEMA,
    description: `Distribution of per-group AUC of ${name}`,
    width: SIZE,
    height: 190,
    config: CONFIG,
    layer: [
      {
        data: {values: bars},
        mark: {type: 'bar', color: PALETTE[0], opacity: 0.75, binSpacing: 1},
        encoding: {x, x2: {field: 'x2'}, y: {field: 'n', type: 'quantitative', title: 'Groups'}, y2: {datum: 0}, tooltip: opts.hover ? [{field: 'x', title: 'AUC from'}, {field: 'x2', title: 'to'}, {field: 'n', title: 'groups'}] : undefined},
      },
      {
        data: {values: rules},
        mark: {type: 'rule', strokeWidth: 2},
        encoding: {
          x: {field: 'v', type: 'quantitative'},
          color: {field: 'k', type: 'nominal', scale: {domain: RULES, range: [PALETTE[6], PALETTE[1]]}, legend: ruleLegend},
          strokeDash: {field: 'k', type: 'nominal', scale: {domain: RULES, range: [[1, 0], [5, 3]]}, legend: ruleLegend},
        },
      },
    ],
  })
}
