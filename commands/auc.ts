import {Args, Flags} from '@oclif/core'
import {RecordingCommand} from '../src/cli/recording.js'
import {DEFAULTS, parseNumberList} from '../src/cli/columns.js'
import {UsageError} from '../src/cli/errors.js'
import {printAuc} from '../src/cli/print-auc.js'
import {ColumnRequest, fileBytes} from '../src/io/index.js'
import {evaluateClassificationParallel} from '../src/metrics/classification.js'
import {prewarmHistograms} from '../src/metrics/parallel.js'
import {AucResultWithCurves, classificationCurves} from '../src/metrics/curves.js'
import type {ChartRenderer} from '../src/report/renderer.js'
import {aucFromStatsFiles} from '../src/warehouse/merge-auc.js'

export default class Auc extends RecordingCommand<typeof Auc> {
  static override summary = 'Binary classification metrics: AUC, PR-AUC, logloss, NE, Brier, calibration, GAUC'
  static override description = `Reads a prediction dump (one row per impression) and reports, for each --score column:
auc (exact; tied scores count 1/2; weighted with --weight), pr_auc (step-wise average precision),
logloss, ne (normalized entropy), brier and calibration (sum of scores / sum of labels);
with --group, GAUC over groups (users) that have both classes; with --ci, DeLong standard
errors and intervals and paired DeLong tests of each later score against the first.
Definitions: README "Metric definitions" and src/metrics/*.ts.`

  static override examples = [
    {description: 'AUC and friends of the default score column', command: '<%= config.bin %> auc fixtures/ctr.csv'},
    {description: 'two models, GAUC per user, DeLong intervals and a paired test', command: '<%= config.bin %> auc fixtures/ctr.csv --score pctr --score pctr_v2 --group user_id --ci'},
    {description: 'confusion matrices at thresholds, as JSON', command: '<%= config.bin %> auc fixtures/ctr.csv --thresholds 0.05,0.1,0.5 --json'},
    {description: 'gzipped TSV from stdin', command: 'zcat preds.tsv.gz | <%= config.bin %> auc - --format tsv --label click'},
    {description: 'an HTML report (ROC, PR, calibration, distributions) and the curve points as CSV', command: '<%= config.bin %> auc fixtures/ctr.csv --score pctr --score pctr_v2 --group user_id --ci --html report.html --curves curves.csv'},
    {description: 'a file larger than memory, aggregated by DuckDB (npm install @duckdb/node-api)', command: '<%= config.bin %> auc big.parquet --score pctr --group user_id --engine duckdb'},
    {description: 'merge warehouse statistics of four shards (made by receval sql auc)', command: '<%= config.bin %> auc --stats shard-0.csv shard-1.csv shard-2.csv shard-3.csv --json'},
  ]

  static override args = {
    file: Args.string({description: 'prediction file (.csv, .tsv, .txt, .jsonl, optionally .gz), or - for stdin; with --stats, a stats file', required: true}),
    more: Args.string({description: 'with --stats: more stats files, one per shard', multiple: true, ignoreStdin: true}),
  }

  static override flags = {
    label: Flags.string({description: `label column (0/1/true/false) [default: first of ${DEFAULTS.label.join(', ')}]`}),
    score: Flags.string({description: `score column, repeatable [default: first of ${DEFAULTS.score.join(', ')}]`, multiple: true}),
    group: Flags.string({description: 'group column (e.g. user_id): enables GAUC'}),
    weight: Flags.string({description: 'sample weight column (values >= 0)'}),
    ci: Flags.boolean({description: 'DeLong standard errors, intervals and paired comparisons', default: false}),
    alpha: Flags.string({description: 'significance level for --ci intervals', default: '0.05'}),
    thresholds: Flags.string({description: 'comma-separated thresholds: confusion matrix and rates at each (predict positive when score >= t)'}),
    html: Flags.string({description: 'also write a self-contained HTML report to FILE (adds "curves" to the --json result)', helpValue: 'FILE', helpGroup: 'REPORT'}),
    curves: Flags.string({description: 'also write the thinned ROC and PR points (at most 1000 per curve) to FILE as CSV', helpValue: 'FILE', helpGroup: 'REPORT'}),
    interactive: Flags.boolean({description: 'with --html: inline the vega runtime (about 520 KB) so charts show values on hover', dependsOn: ['html'], helpGroup: 'REPORT'}),
    engine: Flags.string({description: 'rows: read the rows here (default); duckdb: let DuckDB (optional dependency) aggregate the file out of core and merge its statistics, for files larger than memory', options: ['rows', 'duckdb'], default: 'rows'}),
    stats: Flags.boolean({description: 'the files are statistics exported from the query of receval sql auc (one per shard), not rows', default: false}),
  }

  /** chart workers for --html, started once the input is read so vega loads while the metrics are computed */
  private renderer?: ChartRenderer

  async run(): Promise<AucResultWithCurves> {
    const f = this.flags
    const alpha = Number(f.alpha)
    if (!(alpha > 0 && alpha < 1)) throw new UsageError(`--alpha must be between 0 and 1, not "${f.alpha}"`)
    const thresholds = f.thresholds !== undefined ? parseNumberList('--thresholds', f.thresholds) : undefined
    const more = this.args.more ?? []
    if (f.stats) {
      if (f.engine === 'duckdb') throw new UsageError('--engine duckdb reads a prediction file; --stats files are merged without it')
      if (f.html !== undefined || f.curves !== undefined) throw new UsageError('--html and --curves need the rows; they are not available with --stats')
      this.hashInputs = true
      const opts = {ci: f.ci, alpha, thresholds, dropInvalid: f['drop-invalid'], scores: f.score, label: f.label, group: f.group, weight: f.weight}
      const result = await aucFromStatsFiles([this.args.file, ...more], (p, r) => this.read(p, r, {dropInvalid: false}), opts)
      if (!this.jsonEnabled()) this.log(printAuc(result))
      for (const n of result.notes) this.note(`note: ${n}`)
      return result
    }
    if (more.length > 0) throw new UsageError(`Unexpected argument${more.length > 1 ? 's' : ''}: ${more.join(', ')} (several files are for --stats)`)
    const scoreNames = f.score ?? [undefined]
    if (f.engine === 'duckdb') {
      if (f.stats) throw new UsageError('--engine duckdb reads a prediction file; --stats files are merged without it')
      if (f.html !== undefined || f.curves !== undefined) throw new UsageError('--html and --curves need the rows; they are not available with --engine duckdb')
    }
    const {checkOutputPath} = await import('../src/report/write.js')
    if (f.html !== undefined) checkOutputPath('--html', f.html)
    if (f.curves !== undefined) checkOutputPath('--curves', f.curves)
    const requests: ColumnRequest[] = [
      {role: 'label', flag: '--label', name: f.label, defaults: DEFAULTS.label, kind: 'label'},
      ...scoreNames.map((s): ColumnRequest => ({role: 'score', flag: '--score', name: s, defaults: DEFAULTS.score, kind: 'float'})),
    ]
    if (f.group) requests.push({role: 'group', flag: '--group', name: f.group, kind: 'key'})
    if (f.weight) requests.push({role: 'weight', flag: '--weight', name: f.weight, kind: 'float', nonNegative: true})
    if (f.engine === 'duckdb') {
      const {aucOnDuckDb} = await import('../src/warehouse/engine-auc.js')
      const opts = {ci: f.ci, alpha, thresholds, dropInvalid: f['drop-invalid']}
      const result = await aucOnDuckDb({view: 'rv_input', path: this.args.file, format: f.format}, requests, opts)
      await this.recordInput(this.args.file, f.format ?? 'duckdb')
      if (!this.jsonEnabled()) this.log(printAuc(result))
      for (const n of result.notes) this.note(`note: ${n}`)
      return result
    }
    // a large input: the compute thread starts while the file is read (a line is rarely under 8 bytes)
    prewarmHistograms(fileBytes(this.args.file) / 8)
    const {table, names} = await this.read(this.args.file, requests)
    // the metrics below keep one core busy; the chart workers import vega on the other meanwhile
    if (f.html !== undefined) this.renderer = (await import('../src/report/renderer.js')).startChartWorkers()
    const scores = [...new Set(names.slice(1, 1 + scoreNames.length) as string[])]
    const {result, detail} = await evaluateClassificationParallel(table, {
      label: names[0] as string,
      scores,
      group: f.group,
      weight: f.weight,
      ci: f.ci,
      alpha,
      thresholds,
    })
    const out: AucResultWithCurves = result
    if (f.html !== undefined || f.curves !== undefined) out.curves = classificationCurves(result, detail, {alpha})
    if (!this.jsonEnabled()) this.log(printAuc(result))
    for (const n of result.notes) this.note(`note: ${n}`)
    if (f.curves !== undefined && out.curves) {
      const [{curvesCsv}, {writeTextAtomic}] = await Promise.all([import('../src/cli/curves-csv.js'), import('../src/report/write.js')])
      this.note(`wrote ${f.curves} (${writeTextAtomic(f.curves, curvesCsv(out.curves))} bytes)`)
    }
    if (f.html !== undefined) {
      const [{aucReport}, {reportMeta, writeReport}] = await Promise.all([import('../src/report/sections/auc.js'), import('../src/report/index.js')])
      const meta = reportMeta({id: this.id ?? 'auc', argv: this.argv, version: this.config.version, inputs: this.inputs})
      const w = await writeReport(f.html, aucReport(out, meta, {interactive: f.interactive}), {interactive: f.interactive, renderer: this.renderer})
      this.note(`wrote ${f.html} (${w.bytes} bytes)`)
    }
    return out
  }

  protected override async finally(err: Error | undefined): Promise<unknown> {
    await this.renderer?.close()
    return super.finally(err)
  }
}
