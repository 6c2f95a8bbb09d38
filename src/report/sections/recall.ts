import type {AtK, RecallBlock, RecallResult} from '../../metrics/recall.js'
import {comparisonChart, costVsClickChart, recallOverKChart, RecallSeries, segmentChart} from '../charts/recall.js'
import {formatCount} from '../format.js'
import type {Block, Cell, Fact, Report, ReportMeta, Section, TableColumn} from '../types.js'

/**
 * The sections of a `receval recall` report, built from the result object alone (the one
 * `--json` prints): every number on the page is a field of it.
 */

export interface RecallReportOptions {
  /** add tooltips for --interactive pages */
  interactive?: boolean
}

/** The definitions, as in src/metrics/recall-at-k.ts, for column tooltips. */
const HELP: Record<string, string> = {
  click_recall: 'Mean over keys of hits / |T| (T: distinct clicked items of the key)',
  click_recall_micro: 'Sum of hits / sum of |T| over keys',
  cost_recall: 'Bids of the clicks whose item is in the top K / bids of all clicks',
  hitrate: 'Share of keys with at least one hit in the top K',
  precision: 'Mean over keys of hits / K',
  ndcg: 'Binary-gain nDCG: DCG over hit positions / ideal DCG over min(|T|, K) positions',
  mrr: 'Mean over keys of 1 / position of the first hit (0 without a hit)',
  map: 'Mean over keys of (sum over hit positions i of hits-so-far / i) / min(|T|, K)',
  coverage: 'Distinct items in any top-K list / distinct items in the retrieved file',
}
const FIELDS = ['click_recall', 'click_recall_micro', 'cost_recall', 'hitrate', 'precision', 'ndcg', 'mrr', 'map', 'coverage'] as const
const TITLES: Record<string, string> = {click_recall_micro: 'micro recall'}
const WITH_CI = new Set(['click_recall', 'cost_recall', 'hitrate'])

function level(r: RecallResult): string {
  return r.bootstrap ? `${Math.round(100 * (1 - r.bootstrap.alpha) * 100) / 100}%` : '95%'
}

/** Retrievers in result order with their names (one retriever: its file). */
export function recallSeries(r: RecallResult): (RecallSeries & {block: RecallBlock; segments?: Record<string, RecallBlock>})[] {
  if (r.retrievers) return Object.entries(r.retrievers).map(([name, x]) => ({name, at: x.at, block: x, segments: x.segments}))
  return [{name: r.retrieved.file, at: r.at, block: r, segments: r.segments}]
}

function metricColumns(r: RecallResult, lead: TableColumn[]): TableColumn[] {
  const withCi = Object.values(r.at).some((m) => m.click_recall_ci !== undefined)
  const cols: TableColumn[] = [...lead, {title: 'K', format: 'count'}]
  for (const f of FIELDS) {
    cols.push({title: (TITLES[f] ?? f).replace('_', ' '), help: HELP[f]})
    if (withCi && WITH_CI.has(f)) cols.push({title: `${level(r)} CI`, format: 'interval', help: `Percentile bootstrap interval of ${f} over keys`})
  }
  return cols
}

function metricCells(r: RecallResult, m: AtK): Cell[] {
  const withCi = Object.values(r.at).some((x) => x.click_recall_ci !== undefined)
  const out: Cell[] = []
  for (const f of FIELDS) {
    out.push(m[f])
    if (withCi && WITH_CI.has(f)) out.push(m[`${f}_ci` as 'click_recall_ci'] ?? null)
  }
  return out
}

/** The "what was evaluated" facts. */
export function recallFacts(r: RecallResult): Fact[] {
  const facts: Fact[] = []
  const c = r.columns
  if (r.mode === 'dump') facts.push({label: 'Prediction dump', value: r.truth.file, help: `truth: its ${formatCount(r.truth.rows)} rows with ${c.label} = 1`})
  else facts.push({label: 'Truth', value: `${r.truth.file} (${formatCount(r.truth.rows)} rows${r.truth_top ? ', ranked: --truth-top' : ''})`})
  for (const s of recallSeries(r)) {
    const x = r.retrievers ? r.retrievers[s.name] : r.retrieved
    const extra = [x.excluded_rows ? `${formatCount(x.excluded_rows)} excluded` : '', x.duplicate_rows ? `${formatCount(x.duplicate_rows)} duplicates` : '', x.dropped_rows ? `${formatCount(x.dropped_rows)} dropped` : ''].filter(Boolean).join(', ')
    facts.push({label: r.retrievers ? `Retrieved: ${s.name}` : 'Retrieved', value: `${x.file} (${formatCount(x.rows)} rows${extra ? `; ${extra}` : ''})`})
  }
  facts.push({label: 'Keys evaluated', value: r.keys, help: 'keys with at least one truth row'})
  facts.push({label: 'Keys without retrieval', value: r.keys_without_retrieval, help: 'evaluated keys with no retrieved row: zero hits'})
  facts.push({label: 'Key column', value: c.by})
  if (c.item !== undefined) facts.push({label: 'Item column', value: c.item})
  if (c.items !== undefined) facts.push({label: 'Item lists', value: c.items})
  facts.push({label: 'List order', value: c.rank !== undefined ? `${c.rank} ascending` : c.score !== undefined ? `${c.score} descending` : 'file order', help: 'ties keep file order'})
  facts.push({label: 'Bid column', value: c.bid ?? null, help: c.bid === undefined ? 'none: cost_recall is null' : undefined})
  if (c.segment !== undefined) facts.push({label: 'Segment column', value: c.segment})
  if (r.exclude) facts.push({label: 'Excluded pairs', value: r.exclude.rows})
  if (r.bootstrap) facts.push({label: 'Bootstrap', value: `${formatCount(r.bootstrap.replicates)} replicates over keys, seed ${r.bootstrap.seed}, ${level(r)} percentile intervals`})
  return facts
}

function metricsSection(r: RecallResult): Section {
  const series = recallSeries(r)
  const multi = series.length > 1
  const rows = series.flatMap((s) => Object.entries(s.at).map(([k, m]): Cell[] => [...(multi ? [s.name] : []), Number(k), ...metricCells(r, m)]))
  const blocks: Block[] = [{kind: 'table', columns: metricColumns(r, multi ? [{title: 'retriever', format: 'text'}] : []), rows}]
  const tied = Object.entries(r.ties).filter(([, n]) => n > 0)
  if (tied.length) blocks.push({kind: 'note', tone: 'warn', text: `Tied ${r.columns.rank !== undefined ? 'ranks' : 'scores'} cross the cut-off for ${tied.map(([k, n]) => `${formatCount(n)} keys at K=${k}`).join(', ')}: there, file order decided which item made the list.`})
  return {id: 'recall', title: 'Metrics at K', intro: 'One row per cut-off K over the evaluated keys. Hover a column name for its definition and a value for its full precision.', blocks}
}

function curvesSection(r: RecallResult, opts: RecallReportOptions): Section {
  const series = recallSeries(r)
  const blocks: Block[] = [
    {
      kind: 'chart',
      title: 'Click and cost recall at each K',
      spec: recallOverKChart(series),
      interactiveSpec: opts.interactive ? recallOverKChart(series, {hover: true}) : undefined,
      caption: `Solid: click recall; dashed: cost recall (bid-weighted).${Object.values(r.at).some((m) => m.click_recall_ci) ? ` Bars: ${level(r)} bootstrap intervals.` : ''}`,
      alt: `click_recall and cost_recall at K = ${r.k.join(', ')}`,
    },
  ]
  if (Object.values(r.at).some((m) => m.cost_recall !== null)) {
    blocks.push({
      kind: 'chart',
      title: 'Cost recall against click recall',
      spec: costVsClickChart(series),
      interactiveSpec: opts.interactive ? costVsClickChart(series, {hover: true}) : undefined,
      caption: 'One point per K. Above the dashed diagonal, the clicks retrieved are worth more than the average click.',
      alt: 'cost_recall against click_recall at each K',
    })
  }
  return {id: 'recall-curves', title: 'Recall over K', blocks}
}

function comparisonSection(r: RecallResult, opts: RecallReportOptions): Section | undefined {
  if (!r.comparisons?.length || !r.bootstrap) return undefined
  const alpha = r.bootstrap.alpha
  const blocks: Block[] = []
  for (const c of r.comparisons) {
    blocks.push({
      kind: 'table',
      caption: `${c.b} against ${c.a}, paired over keys`,
      columns: [
        {title: 'K', format: 'count'},
        {title: 'metric', format: 'text'},
        {title: c.a},
        {title: c.b},
        {title: `${c.b} − ${c.a}`},
        {title: `${level(r)} CI`, format: 'interval', help: 'percentile interval of the paired bootstrap differences'},
        {title: 'p', format: 'p', help: 'p = min(1, 2 min(1 + #{d* <= 0}, 1 + #{d* >= 0}) / (B + 1)) over the B paired replicates d*'},
        {title: `p < ${alpha}`, format: 'text'},
      ],
      rows: Object.entries(c.at).flatMap(([k, ms]) =>
        Object.entries(ms).map(([m, d]): Cell[] => [
          Number(k),
          m,
          d.a,
          d.b,
          d.delta,
          d.ci,
          d.p_value,
          d.p_value === null || d.delta === null ? null : d.p_value < alpha ? {value: d.delta > 0 ? `yes, ${c.b} higher` : `yes, ${c.b} lower`, tone: d.delta > 0 ? 'good' : 'bad'} : {value: 'no', tone: 'muted'},
        ]),
      ),
    })
    blocks.push({
      kind: 'chart',
      title: `${c.b} − ${c.a}`,
      spec: comparisonChart(c),
      interactiveSpec: opts.interactive ? comparisonChart(c, {hover: true}) : undefined,
      caption: `Differences with ${level(r)} paired bootstrap intervals (${formatCount(r.bootstrap.replicates)} replicates, seed ${r.bootstrap.seed}); dashed: no difference.`,
      alt: `Paired differences of ${c.b} and ${c.a}`,
    })
  }
  return {id: 'comparison', title: 'Comparison of retrievers', intro: 'Both retrievers on the same keys: each bootstrap replicate resamples keys once and evaluates both, so the differences are paired.', blocks}
}

function segmentSection(r: RecallResult, opts: RecallReportOptions): Section | undefined {
  const series = recallSeries(r).filter((s) => s.segments)
  if (!series.length) return undefined
  const multi = series.length > 1
  const blocks: Block[] = series.map((s) => ({
    kind: 'chart',
    title: multi ? `click recall by ${r.columns.segment}: ${s.name}` : `click recall by ${r.columns.segment}`,
    spec: segmentChart(s.name, s.segments as Record<string, RecallBlock>),
    interactiveSpec: opts.interactive ? segmentChart(s.name, s.segments as Record<string, RecallBlock>, {hover: true}) : undefined,
    caption: `${Object.keys(s.segments as object).length} segments; one bar per K.`,
    alt: `click_recall per ${r.columns.segment} segment`,
  }))
  const rows = series.flatMap((s) =>
    Object.entries(s.segments as Record<string, RecallBlock>).flatMap(([seg, b]) =>
      Object.entries(b.at).map(([k, m]): Cell[] => [...(multi ? [s.name] : []), seg, b.keys, b.keys_without_retrieval, Number(k), ...metricCells(r, m)]),
    ),
  )
  blocks.push({
    kind: 'table',
    caption: `Every metric per ${r.columns.segment}`,
    columns: metricColumns(r, [...(multi ? [{title: 'retriever', format: 'text' as const}] : []), {title: 'segment', format: 'text'}, {title: 'keys', format: 'count'}, {title: 'without retrieval', format: 'count'}]),
    rows,
  })
  return {id: 'segments', title: `By ${r.columns.segment}`, intro: `A key counts in a segment when it has truth rows there, with those rows as its truth; coverage is over the segment's lists.`, blocks}
}

/** Every section of a recall report, in page order. */
export function recallSections(r: RecallResult, opts: RecallReportOptions = {}): Section[] {
  return [metricsSection(r), curvesSection(r, opts), comparisonSection(r, opts), segmentSection(r, opts)].filter((s): s is Section => s !== undefined)
}

/** The whole recall report: frame, sections and notes, from the result and the run's frame. */
export function recallReport(r: RecallResult, meta: ReportMeta, opts: RecallReportOptions = {}): Report {
  const names = recallSeries(r).map((s) => s.name)
  return {
    title: `Recall report: ${r.retrievers ? names.join(' vs ') : r.retrieved.file}`,
    subtitle: `${r.mode === 'dump' ? 'single dump' : `against ${r.truth.file}`} · keys by ${r.columns.by} · K = ${r.k.join(', ')}`,
    meta,
    facts: recallFacts(r),
    sections: recallSections(r, opts),
    notes: r.notes,
    data: r,
  }
}
