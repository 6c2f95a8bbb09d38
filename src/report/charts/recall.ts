import type {TopLevelSpec} from 'vega-lite'
import type {AtK, RecallBlock, RecallComparison} from '../../metrics/recall.js'
import {CONFIG, niceCeil, PALETTE, r6, REFERENCE, SCHEMA} from './theme.js'

/**
 * Chart specs of `receval recall` reports: plain functions from result fields to vega-lite specs
 * with the data inline. Golden copies live in test/report/golden (recall-*.vl.json).
 * `hover: true` adds tooltips, for the interactive page only.
 */

export interface RecallSeries {
  /** retriever name (its file's base name) */
  name: string
  at: Record<string, AtK>
}

export interface ChartOptions {
  hover?: boolean
}

const SIZE = 340

function topLevel(spec: Record<string, unknown>): TopLevelSpec {
  return spec as unknown as TopLevelSpec
}

const num = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : r6(v))

/** The top of a share axis: a nice value just above the largest one drawn, at most 100%. */
function shareTop(values: (number | null)[]): number {
  return niceCeil(Math.max(0, ...values.filter((v): v is number => v !== null)), 1)
}

/** K on a log axis when the cut-offs span a factor of 20 or more (1, 10, 100, 1000 stay apart). */
function kAxis(ks: number[]): Record<string, unknown> {
  const lo = Math.min(...ks)
  const hi = Math.max(...ks)
  const log = hi / lo >= 20
  return {field: 'k', type: 'quantitative', title: 'K (list length)', scale: log ? {type: 'log', domain: [lo, hi], nice: false} : {domain: [lo, hi], nice: false, zero: false}, axis: {values: ks, format: 'd'}}
}

const METRICS = [
  ['click_recall', 'click recall'],
  ['cost_recall', 'cost recall'],
] as const

/**
 * click_recall and cost_recall at each K, one colour per retriever, dashed for cost; with
 * bootstrap intervals (--ci) as vertical bars.
 * @example recallOverKChart([{name: 'faiss', at: result.at}])
 */
export function recallOverKChart(series: RecallSeries[], opts: ChartOptions = {}): TopLevelSpec {
  const rows: {s: string; m: string; k: number; y: number | null; lo: number | null; hi: number | null}[] = []
  for (const s of series) {
    for (const [k, m] of Object.entries(s.at)) {
      for (const [field, label] of METRICS) {
        const ci = m[`${field}_ci` as 'click_recall_ci']
        rows.push({s: s.name, m: label, k: Number(k), y: num(m[field]), lo: num(ci?.[0]), hi: num(ci?.[1])})
      }
    }
  }
  const ks = Object.keys(series[0].at).map(Number)
  const defined = rows.filter((r) => r.y !== null)
  const x = kAxis(ks)
  const top = shareTop(defined.flatMap((r) => [r.y, r.hi]))
  const y = {field: 'y', type: 'quantitative', title: 'Recall at K', scale: {domain: [0, top], nice: false}, axis: {format: '.0%', tickCount: 5}}
  const color = {field: 's', type: 'nominal', scale: {domain: series.map((s) => s.name), range: PALETTE}, legend: {title: null, symbolType: 'stroke'}}
  const dash = {field: 'm', type: 'nominal', scale: {domain: METRICS.map((m) => m[1]), range: [[1, 0], [6, 4]]}, legend: {title: null, symbolType: 'stroke', symbolStrokeColor: '#444444'}}
  const tooltip = opts.hover ? [{field: 's', title: 'retriever'}, {field: 'm', title: 'metric'}, {field: 'k', title: 'K'}, {field: 'y', title: 'value', format: '.4f'}] : undefined
  const layers: Record<string, unknown>[] = [
    {data: {values: defined}, mark: {type: 'line', point: true}, encoding: {x, y, color, strokeDash: dash, detail: {field: 'm'}, tooltip}},
  ]
  const bars = defined.filter((r) => r.lo !== null && r.hi !== null)
  if (bars.length) layers.push({data: {values: bars}, mark: {type: 'rule', strokeWidth: 1.5, opacity: 0.6}, encoding: {x, y: {field: 'lo', type: 'quantitative'}, y2: {field: 'hi'}, color}})
  return topLevel({
    $schema: SCHEMA,
    description: `click_recall and cost_recall over K of ${series.map((s) => s.name).join(', ')}`,
    width: SIZE,
    height: 240,
    config: CONFIG,
    layer: layers,
  })
}

/**
 * cost_recall against click_recall, one point per K, joined in K order per retriever, with the
 * diagonal: above it, the retrieved clicks are worth more than the average click.
 */
export function costVsClickChart(series: RecallSeries[], opts: ChartOptions = {}): TopLevelSpec {
  const rows = series.flatMap((s) =>
    Object.entries(s.at)
      .filter(([, m]) => m.cost_recall !== null)
      .map(([k, m]) => ({s: s.name, k: Number(k), label: `K=${k}`, x: r6(m.click_recall), y: r6(m.cost_recall as number)})),
  )
  // one scale for both axes, so the diagonal stays the diagonal
  const top = shareTop(rows.flatMap((r) => [r.x, r.y]))
  const x = {field: 'x', type: 'quantitative', title: 'click recall', scale: {domain: [0, top], nice: false}, axis: {format: '.0%', tickCount: 5}}
  const y = {field: 'y', type: 'quantitative', title: 'cost recall', scale: {domain: [0, top], nice: false}, axis: {format: '.0%', tickCount: 5}}
  const color = {field: 's', type: 'nominal', scale: {domain: series.map((s) => s.name), range: PALETTE}, legend: {title: null, symbolType: 'stroke'}}
  return topLevel({
    $schema: SCHEMA,
    description: `cost_recall against click_recall at each K of ${series.map((s) => s.name).join(', ')}; dashed: equal`,
    width: SIZE,
    height: SIZE,
    config: CONFIG,
    layer: [
      {data: {values: [{x: 0, y: 0}, {x: top, y: top}]}, mark: {type: 'line', color: REFERENCE, strokeWidth: 1, strokeDash: [4, 4]}, encoding: {x: {field: 'x', type: 'quantitative'}, y: {field: 'y', type: 'quantitative'}}},
      {
        data: {values: rows},
        mark: {type: 'line', point: true},
        encoding: {x, y, color, order: {field: 'k', type: 'quantitative'}, tooltip: opts.hover ? [{field: 's', title: 'retriever'}, {field: 'label', title: 'cut-off'}, {field: 'x', title: 'click recall', format: '.4f'}, {field: 'y', title: 'cost recall', format: '.4f'}] : undefined},
      },
      {data: {values: rows}, mark: {type: 'text', dx: 6, dy: -7, align: 'left', fontSize: 10, color: '#444444'}, encoding: {x, y, text: {field: 'label'}}},
    ],
  })
}

/**
 * click_recall per segment as grouped bars, one bar per K, for one retriever.
 * @param segments the result's `segments` (name -> metrics), in the result's order
 */
export function segmentChart(name: string, segments: Record<string, RecallBlock>, opts: ChartOptions = {}): TopLevelSpec {
  const names = Object.keys(segments)
  const ks = names.length ? Object.keys(segments[names[0]].at) : []
  const rows = names.flatMap((seg) => ks.map((k) => ({seg, k: `K=${k}`, y: r6(segments[seg].at[k].click_recall), keys: segments[seg].keys})))
  return topLevel({
    $schema: SCHEMA,
    description: `click_recall per segment at each K of ${name}`,
    width: Math.max(SIZE, Math.min(900, 40 * names.length * Math.max(1, ks.length / 2))),
    height: 220,
    config: CONFIG,
    data: {values: rows},
    mark: {type: 'bar'},
    encoding: {
      x: {field: 'seg', type: 'nominal', title: 'segment', sort: names, axis: {labelAngle: names.some((n) => n.length > 6) ? -30 : 0}},
      xOffset: {field: 'k', type: 'nominal', sort: ks.map((k) => `K=${k}`)},
      y: {field: 'y', type: 'quantitative', title: 'click recall', scale: {domain: [0, shareTop(rows.map((r) => r.y))], nice: false}, axis: {format: '.0%', tickCount: 5}},
      color: {field: 'k', type: 'nominal', sort: ks.map((k) => `K=${k}`), scale: {range: PALETTE}, legend: {title: null, direction: 'horizontal'}},
      tooltip: opts.hover ? [{field: 'seg', title: 'segment'}, {field: 'keys', title: 'keys'}, {field: 'k', title: 'cut-off'}, {field: 'y', title: 'click recall', format: '.4f'}] : undefined,
    },
  })
}

/**
 * Paired differences b - a with their bootstrap intervals, one row per (metric, K), and a rule at 0.
 */
export function comparisonChart(c: RecallComparison, opts: ChartOptions = {}): TopLevelSpec {
  const rows = Object.entries(c.at).flatMap(([k, ms]) =>
    Object.entries(ms)
      .filter(([, d]) => d.delta !== null)
      .map(([m, d]) => ({row: `${m.replace('_', ' ')} @${k}`, d: r6(d.delta as number), lo: num(d.ci?.[0]), hi: num(d.ci?.[1]), p: d.p_value})),
  )
  const order = rows.map((r) => r.row)
  const y = {field: 'row', type: 'nominal', title: null, sort: order}
  const x = {field: 'd', type: 'quantitative', title: `${c.b} − ${c.a}`}
  return topLevel({
    $schema: SCHEMA,
    description: `Paired bootstrap differences ${c.b} minus ${c.a}`,
    width: SIZE,
    height: Math.max(120, 22 * rows.length),
    config: CONFIG,
    layer: [
      {data: {values: [{x: 0}]}, mark: {type: 'rule', color: REFERENCE, strokeDash: [4, 4]}, encoding: {x: {field: 'x', type: 'quantitative'}}},
      {data: {values: rows.filter((r) => r.lo !== null)}, mark: {type: 'rule', strokeWidth: 2, color: PALETTE[0]}, encoding: {y, x: {field: 'lo', type: 'quantitative', title: `${c.b} − ${c.a}`}, x2: {field: 'hi'}}},
      {
        data: {values: rows},
        mark: {type: 'point', filled: true, size: 60, color: PALETTE[0]},
        encoding: {y, x, tooltip: opts.hover ? [{field: 'row', title: 'metric'}, {field: 'd', title: 'difference', format: '.4f'}, {field: 'lo', title: 'interval from', format: '.4f'}, {field: 'hi', title: 'to', format: '.4f'}, {field: 'p', title: 'p', format: '.4g'}] : undefined},
      },
    ],
  })
}
