import type {AucResult} from '../../metrics/classification.js'
import type {AucResultWithCurves, ScoreCurves} from '../../metrics/curves.js'
import type {OperatingCurve} from '../../metrics/operating-curve.js'
import {groupAucChart, prChart, reliabilityChart, rocChart, scoreDistributionChart} from '../charts/classification.js'
import {formatCount, formatNumber} from '../format.js'
import type {Block, Cell, Fact, Report, ReportMeta, Section, TableColumn} from '../types.js'

/**
 * The sections of a `receval auc` report, built from the result object alone (the one `--json`
 * prints, with `curves` from classificationCurves). Nothing is recomputed here: every number on
 * the page is a field of the result.
 */

export interface AucReportOptions {
  /** add tooltip layers for --interactive pages */
  interactive?: boolean
}

const HELP = {
  auc: 'Exact Mann-Whitney AUC: probability that a random positive scores above a random negative; ties count 1/2',
  auc_se: 'DeLong standard error of the AUC',
  auc_ci: 'DeLong interval, normal approximation, clipped to [0, 1]',
  pr_auc: 'Average precision, step-wise (scikit-learn average_precision_score)',
  logloss: 'Mean of -[y ln p + (1-y) ln(1-p)], p clipped to [1e-15, 1-1e-15]',
  ne: 'Normalized entropy: logloss / binary entropy of the base rate (below 1 beats predicting the base rate)',
  brier: 'Mean squared difference between score and label',
  calibration: 'Sum of scores / sum of labels (1 = calibrated on average)',
  gauc: 'Mean of per-group AUC weighted by group rows, over groups having both classes',
  gauc_unweighted: 'Unweighted mean of per-group AUC',
  gauc_groups: 'Groups with both classes (used)',
  gauc_groups_skipped: 'Groups with one class only (skipped)',
}

function fact(label: string, value: Fact['value'], help?: string): Fact {
  return help ? {label, value, help} : {label, value}
}

function pct(v: number): string {
  return `${(100 * v).toFixed(v < 0.001 ? 4 : 2)}%`
}

/** The confidence level of alpha as a percentage: 0.05 -> "95%", 0.001 -> "99.9%". */
function level(alpha: number): string {
  return `${Number((100 * (1 - alpha)).toFixed(4))}%`
}

/** The "what was evaluated" facts of an auc result. */
export function aucFacts(r: AucResult): Fact[] {
  const weighted = r.columns.weight !== undefined
  const total = r.positives + r.negatives
  const facts: Fact[] = [fact('Rows', r.rows, r.dropped_rows ? `(${formatCount(r.dropped_rows)} dropped by --drop-invalid)` : undefined)]
  // weight sums are not counts: shown with 2 decimals
  const amount = (v: number) => (weighted ? formatCount(v) : v)
  facts.push(fact(weighted ? 'Positives (weight)' : 'Positives', amount(r.positives)), fact(weighted ? 'Negatives (weight)' : 'Negatives', amount(r.negatives)))
  facts.push(fact('Positive rate', pct(r.positives / total)))
  facts.push(fact('Label column', r.columns.label))
  facts.push(fact(r.columns.scores.length > 1 ? 'Score columns' : 'Score column', r.columns.scores.join(', ')))
  if (r.columns.group !== undefined) facts.push(fact('Group column', r.columns.group))
  if (r.columns.weight !== undefined) facts.push(fact('Weight column', r.columns.weight))
  if (r.alpha !== undefined) facts.push(fact('Intervals', `DeLong, ${level(r.alpha)}`))
  return facts
}

function metricsTable(r: AucResult): Block {
  const names = Object.keys(r.scores)
  const any = (k: string) => names.some((n) => (r.scores[n] as unknown as Record<string, unknown>)[k] !== undefined)
  const cols: TableColumn[] = [{title: 'score', format: 'text'}, {title: 'AUC', help: HELP.auc}]
  if (any('auc_se')) cols.push({title: 'SE', help: HELP.auc_se}, {title: `${level(r.alpha ?? 0.05)} CI`, format: 'interval', help: HELP.auc_ci})
  cols.push({title: 'PR-AUC (AP)', help: HELP.pr_auc}, {title: 'logloss', help: HELP.logloss}, {title: 'NE', help: HELP.ne}, {title: 'Brier', help: HELP.brier}, {title: 'calibration', help: HELP.calibration})
  if (any('gauc')) cols.push({title: 'GAUC', help: `${HELP.gauc} (details under "AUC within groups")`})
  const rows = names.map((n) => {
    const s = r.scores[n]
    const row: Cell[] = [n, s.auc]
    if (any('auc_se')) row.push(s.auc_se, s.auc_ci ?? null)
    row.push(s.pr_auc, s.logloss, s.ne, s.brier, s.calibration)
    if (any('gauc')) row.push(s.gauc)
    return row
  })
  return {kind: 'table', columns: cols, rows}
}

function comparisonsTable(r: AucResult): Block | undefined {
  if (!r.comparisons?.length) return undefined
  const alpha = r.alpha ?? 0.05
  return {
    kind: 'table',
    caption: `Paired DeLong tests against ${r.comparisons[0].a}`,
    columns: [
      {title: 'a', format: 'text'},
      {title: 'b', format: 'text'},
      {title: 'ΔAUC (b − a)', help: 'auc_b - auc_a'},
      {title: 'SE', help: 'standard error of the paired difference'},
      {title: 'z'},
      {title: 'p', format: 'p', help: 'two-sided p-value of the paired DeLong test'},
      {title: `p < ${alpha}`, format: 'text'},
    ],
    rows: r.comparisons.map((c) => [
      c.a,
      c.b,
      c.delta,
      c.se,
      c.z,
      c.p_value,
      c.p_value === null ? null : c.p_value < alpha ? {value: c.delta > 0 ? 'yes, b higher' : 'yes, b lower', tone: c.delta > 0 ? 'good' : 'bad'} : {value: 'no', tone: 'muted'},
    ]),
  }
}

function thinning(name: string, c: OperatingCurve): string {
  const kept = c.threshold.length
  if (c.exact_points <= kept) return c.exact_points === 1 ? `${name}: its one point` : `${name}: all ${formatCount(c.exact_points)} points`
  const of = `${name}: ${formatCount(kept)} of ${formatCount(c.exact_points)} points`
  // below 1e-9 the dropped points lie on the drawn segments (runs of one class); rounding aside
  if (c.max_error < 1e-9) return `${of} (the rest lie on the line)`
  return `${of} (max deviation ${c.max_error.toPrecision(2)})`
}

function curvesOf(r: AucResultWithCurves): Record<string, ScoreCurves> {
  if (!r.curves) throw new Error('aucReport: the result has no curves (run classificationCurves first)')
  return r.curves
}

function curveSection(r: AucResultWithCurves, opts: AucReportOptions): Section {
  const curves = curvesOf(r)
  const names = Object.keys(r.scores)
  const series = (kind: 'roc' | 'pr') => names.map((n) => ({name: n, area: kind === 'roc' ? r.scores[n].auc : r.scores[n].pr_auc, curve: curves[n][kind], thresholds: r.scores[n].thresholds}))
  const dots = names.some((n) => r.scores[n].thresholds?.length) ? ' Dots: the --thresholds operating points.' : ''
  const base = r.positives / (r.positives + r.negatives)
  return {
    id: 'curves',
    title: 'ROC and precision-recall curves',
    intro: 'Drawn through the exact operating points (predict positive when score ≥ threshold), thinned for drawing where there are more than 1,000.',
    blocks: [
      {
        kind: 'chart',
        title: 'ROC',
        spec: rocChart(series('roc')),
        interactiveSpec: opts.interactive ? rocChart(series('roc'), {hover: true}) : undefined,
        caption: `Dashed: chance (AUC 0.5).${dots} ${names.map((n) => thinning(n, curves[n].roc)).join('; ')}.`,
        alt: `ROC curves of ${names.join(', ')}`,
      },
      {
        kind: 'chart',
        title: 'Precision-recall',
        spec: prChart(series('pr'), base),
        interactiveSpec: opts.interactive ? prChart(series('pr'), base, {hover: true}) : undefined,
        caption: `Dashed: the base rate ${pct(base)} (a random ranking).${dots} ${names.map((n) => thinning(n, curves[n].pr)).join('; ')}.`,
        alt: `Precision-recall curves of ${names.join(', ')}`,
      },
    ],
  }
}

function calibrationSection(r: AucResultWithCurves, opts: AucReportOptions): Section {
  const curves = curvesOf(r)
  const names = Object.keys(r.scores)
  const withBins = names.filter((n) => curves[n].reliability !== null)
  const without = names.filter((n) => curves[n].reliability === null)
  const weighted = r.columns.weight !== undefined
  const blocks: Block[] = []
  if (withBins.length) {
    const series = withBins.map((n) => ({name: n, bins: curves[n].reliability as NonNullable<ScoreCurves['reliability']>}))
    const bins = series[0].bins.rate.length
    blocks.push({
      kind: 'chart',
      title: 'Reliability diagram',
      spec: reliabilityChart(series),
      interactiveSpec: opts.interactive ? reliabilityChart(series, {hover: true}) : undefined,
      caption: `Equal-frequency bins (about ${formatCount(Math.round(series[0].bins.count.reduce((a, b) => a + b, 0) / bins))} ${weighted ? 'weight' : 'rows'} each). Dashed: perfect calibration.${series[0].bins.alpha === null ? '' : ` Bars: ${level(series[0].bins.alpha)} Wilson intervals of the observed rate.`}`,
      alt: `Reliability diagram of ${withBins.join(', ')}`,
    })
    blocks.push({
      kind: 'table',
      caption: 'Calibration bins',
      columns: [
        {title: 'score', format: 'text'},
        {title: 'bin', format: 'count'},
        {title: 'scores from', help: 'lowest score in the bin'},
        {title: 'to', help: 'highest score in the bin'},
        {title: weighted ? 'weight' : 'rows', format: 'count'},
        {title: 'positives', format: 'count'},
        {title: 'mean score'},
        {title: 'observed rate'},
        ...(weighted ? [] : [{title: 'interval', format: 'interval' as const, help: 'Wilson score interval of the observed rate'}]),
      ],
      rows: series.flatMap((s) =>
        s.bins.rate.map((rate, i): Cell[] => [s.name, i + 1, s.bins.lower[i], s.bins.upper[i], s.bins.count[i], s.bins.positives[i], s.bins.mean_score[i], rate, ...(weighted ? [] : [[s.bins.rate_low[i], s.bins.rate_high[i]] as const])]),
      ),
    })
  }
  if (without.length) blocks.push({kind: 'note', tone: 'warn', text: `No reliability diagram for ${without.join(', ')}: some scores lie outside [0, 1], so they are not probabilities.`})
  return {id: 'calibration', title: 'Calibration', intro: 'Does a score of p mean a positive rate of p? Rows are sorted by score and cut into bins of equal size.', blocks}
}

function distributionSection(r: AucResultWithCurves, opts: AucReportOptions): Section {
  const curves = curvesOf(r)
  const weighted = r.columns.weight !== undefined
  return {
    id: 'distributions',
    title: 'Score distributions',
    intro: `Each class as a share of its own ${weighted ? 'weight' : 'rows'} per equal-width score bin, so positives stay visible however rare they are.`,
    blocks: Object.keys(r.scores).map((n) => ({
      kind: 'chart',
      title: n,
      spec: scoreDistributionChart(n, curves[n].distribution, weighted),
      interactiveSpec: opts.interactive ? scoreDistributionChart(n, curves[n].distribution, weighted, {hover: true}) : undefined,
      caption: `${curves[n].distribution.positives.length} bins from ${formatNumber(curves[n].distribution.edges[0])} to ${formatNumber(curves[n].distribution.edges[curves[n].distribution.edges.length - 1])}.`,
      alt: `Score distribution of ${n} for positives and negatives`,
    })),
  }
}

function groupSection(r: AucResultWithCurves, opts: AucReportOptions): Section | undefined {
  if (r.columns.group === undefined) return undefined
  const curves = curvesOf(r)
  const names = Object.keys(r.scores)
  const blocks: Block[] = []
  for (const n of names) {
    const d = curves[n].group_auc
    if (!d) continue
    const s = r.scores[n]
    blocks.push({
      kind: 'chart',
      title: n,
      spec: groupAucChart(n, d, s.gauc ?? null, s.gauc_unweighted ?? null),
      interactiveSpec: opts.interactive ? groupAucChart(n, d, s.gauc ?? null, s.gauc_unweighted ?? null, {hover: true}) : undefined,
      caption: `${formatCount(s.gauc_groups ?? 0)} groups with both classes; ${formatCount(s.gauc_groups_skipped ?? 0)} with one class skipped. Bins of 0.05.`,
      alt: `Distribution of per-group AUC of ${n}`,
    })
  }
  const rows = names.map((n): Cell[] => {
    const s = r.scores[n]
    const q = curves[n].group_auc?.quantiles
    return [n, s.gauc, s.gauc_unweighted, s.gauc_groups, s.gauc_groups_skipped, q?.p10 ?? null, q?.p25 ?? null, q?.p50 ?? null, q?.p75 ?? null, q?.p90 ?? null]
  })
  blocks.push({
    kind: 'table',
    caption: 'Per-group AUC',
    columns: [
      {title: 'score', format: 'text'},
      {title: 'GAUC', help: HELP.gauc},
      {title: 'unweighted', help: HELP.gauc_unweighted},
      {title: 'groups', format: 'count', help: HELP.gauc_groups},
      {title: 'skipped', format: 'count', help: HELP.gauc_groups_skipped},
      {title: 'p10', help: 'quantiles of per-group AUC (R type 7)'},
      {title: 'p25'},
      {title: 'median'},
      {title: 'p75'},
      {title: 'p90'},
    ],
    rows,
  })
  return {id: 'groups', title: `AUC within groups (${r.columns.group})`, intro: 'The AUC inside each group that has both a positive and a negative, and how it is spread.', blocks}
}

function thresholdSection(r: AucResult): Section | undefined {
  const names = Object.keys(r.scores).filter((n) => r.scores[n].thresholds?.length)
  if (!names.length) return undefined
  const count = 'count' as const
  return {
    id: 'thresholds',
    title: 'Thresholds',
    intro: 'Confusion matrix and rates when predicting positive for score ≥ threshold.',
    blocks: names.map((n) => ({
      kind: 'table',
      caption: n,
      columns: [
        {title: 'threshold'},
        {title: 'TP', format: count},
        {title: 'FP', format: count},
        {title: 'TN', format: count},
        {title: 'FN', format: count},
        {title: 'TPR (recall)', help: 'TP / (TP + FN)'},
        {title: 'FPR', help: 'FP / (FP + TN)'},
        {title: 'precision', help: 'TP / (TP + FP)'},
        {title: 'F1', help: '2 TP / (2 TP + FP + FN)'},
        {title: 'accuracy', help: '(TP + TN) / total'},
        {title: 'TNR', help: 'TN / (TN + FP)'},
        {title: 'FNR', help: 'FN / (TP + FN)'},
        {title: 'NPV', help: 'TN / (TN + FN)'},
      ],
      rows: (r.scores[n].thresholds ?? []).map((t) => [t.threshold, t.tp, t.fp, t.tn, t.fn, t.tpr, t.fpr, t.precision, t.f1, t.accuracy, t.tnr, t.fnr, t.npv]),
    })),
  }
}

/** Every section of an auc report, in page order. */
export function aucSections(r: AucResultWithCurves, opts: AucReportOptions = {}): Section[] {
  const metrics: Block[] = [metricsTable(r)]
  const cmp = comparisonsTable(r)
  if (cmp) metrics.push(cmp)
  const sections: (Section | undefined)[] = [
    {id: 'metrics', title: 'Metrics', intro: 'One row per score column. Hover a column name for its definition and a value for its full precision.', blocks: metrics},
    curveSection(r, opts),
    calibrationSection(r, opts),
    distributionSection(r, opts),
    groupSection(r, opts),
    thresholdSection(r),
  ]
  return sections.filter((s): s is Section => s !== undefined)
}

/** The whole auc report: frame, sections and notes, from the result and the run's frame. */
export function aucReport(r: AucResultWithCurves, meta: ReportMeta, opts: AucReportOptions = {}): Report {
  const names = Object.keys(r.scores)
  const data: Record<string, unknown> = {...r}
  delete data.curves
  return {
    title: `AUC report: ${r.file}`,
    subtitle: `${names.join(' vs ')} · label ${r.columns.label}${r.columns.group !== undefined ? ` · grouped by ${r.columns.group}` : ''}`,
    meta,
    facts: aucFacts(r),
    sections: aucSections(r, opts),
    notes: r.notes,
    data,
  }
}
