import {Args, Flags} from '@oclif/core'
import {RecordingCommand} from '../src/cli/recording.js'
import {DEFAULTS, parseNumberList} from '../src/cli/columns.js'
import {InputError, UsageError} from '../src/cli/errors.js'
import {printSweep, printTable} from '../src/cli/print-pareto.js'
import {ColumnRequest, ReadResult} from '../src/io/index.js'
import {Fusion} from '../src/pareto/fusion.js'
import {parseMetric, parseObjective, parsePositiveInt, parseRowIndex, parseTask, TaskSpec} from '../src/pareto/parse.js'
import {ParetoResult, ParetoSweepResult, ParetoTableResult} from '../src/pareto/result.js'
import {sweepWeights, validateSweepSpec} from '../src/pareto/sweep.js'
import {chartPoints, paretoOfTable} from '../src/pareto/table.js'
import type {ChartRenderer} from '../src/report/renderer.js'

const UNIT_PLANE_NOTE = 'one frontier point is best in two objectives, so the extremes span no plane: the knee is measured from the plane where the normalized objectives sum to 1'
const SWEEP_ONLY = ['fusion', 'times', 'steps', 'metric', 'group'] as const

export default class Pareto extends RecordingCommand<typeof Pareto> {
  static override summary = 'Pareto frontiers: non-dominated rows of a table, or a sweep of multi-task fusion weights'
  static override description = [
    'Table mode (--objective): each row is a setting and each objective column one of its metrics. Reports the non-dominated rows (no other row is at least as good in every objective and better in one; identical rows are all kept), the exact hypervolume against --ref, the knee point and, with --baseline ROW, how the frontier improves on that row.',
    'Sweep mode (--task): on a prediction dump with several task scores, fuses them with every weight vector k/steps on the simplex (product: sum w_i ln s_i, the ranking of prod s_i^w_i; sum: sum w_i s_i; --times COL multiplies in a factor such as the bid), evaluates each task\'s metric of the fused score on its rows, and reports the frontier of the weight vectors, its hypervolume (against --ref, else the --baseline weights\' metrics, else the grid\'s worst value of each metric), the knee and the baseline against the frontier.',
    'Hypervolume speed (exact; cost grows with the frontier, not the rows): 2-D and 3-D are O(n log n), a 3-D frontier of 100,000 points takes about 0.2 s; 4-D and up use WFG, fast up to about 1,000 frontier points in 4-D and a few hundred in 5-D, growing quickly with size and dimension beyond that. Definitions: docs/pareto.md.',
  ].join('\n\n')

  static override examples = [
    {description: 'frontier and hypervolume of model runs (maximise AUC, minimise latency)', command: '<%= config.bin %> pareto fixtures/pareto-runs.csv --objective auc:max --objective latency_ms:min --ref 0.5,100'},
    {description: 'the same with the production run (row 0) as the baseline, as JSON', command: '<%= config.bin %> pareto fixtures/pareto-runs.csv --objective auc:max --objective latency_ms:min --ref 0.5,100 --baseline 0 --json'},
    {description: 'sweep CTR/CVR fusion weights in steps of 0.1 (CVR evaluated on clicked rows)', command: '<%= config.bin %> pareto fixtures/multitask.csv --task ctr=pctr:click --task cvr=pcvr:conversion@click --steps 10 --baseline 0.5,0.5'},
    {description: 'an HTML report of a sweep: every weight vector, the frontier as a step line, the baseline', command: '<%= config.bin %> pareto fixtures/multitask.csv --task ctr=pctr:click --task cvr=pcvr:conversion@click --steps 20 --baseline 0.3,0.7 --html pareto.html'},
    {description: 'eCPM-style ranking (times the bid), per-user recall@5, sum fusion', command: '<%= config.bin %> pareto fixtures/multitask.csv --task ctr=pctr:click --task cvr=pcvr:conversion@click --fusion sum --times bid --metric recall@5 --group user_id'},
  ]

  static override args = {
    file: Args.string({description: 'table (table mode) or prediction dump (sweep mode): .csv, .tsv, .txt, .jsonl, optionally .gz, or - for stdin', required: true}),
  }

  static override flags = {
    objective: Flags.string({description: 'table mode: an objective column and its sense, COL:max or COL:min; repeatable, in order', multiple: true, multipleNonGreedy: true, helpGroup: 'TABLE MODE'}),
    task: Flags.string({description: 'sweep mode: NAME=SCORE:LABEL[@FILTER], a task, its score and 0/1 label columns, and optionally a 0/1 column restricting it to rows where that column is 1 (cvr=pcvr:conversion@click); repeatable, in order', multiple: true, multipleNonGreedy: true, helpGroup: 'SWEEP MODE'}),
    fusion: Flags.string({description: 'sweep mode: how task scores fuse: product (sum w_i ln s_i; scores must be >= 0) or sum (sum w_i s_i) [default: product]', helpGroup: 'SWEEP MODE'}),
    times: Flags.string({description: 'sweep mode: a column (>= 0, e.g. the bid) multiplied into the fused score', helpGroup: 'SWEEP MODE'}),
    steps: Flags.string({description: 'sweep mode: weights are multiples of 1/steps, every point of the simplex [default: 10]', helpGroup: 'SWEEP MODE'}),
    metric: Flags.string({description: 'sweep mode: auc, gauc (needs --group) or recall@K (needs --group; share of a group\'s positives in its top K by fused score, averaged over groups with positives) [default: auc]', helpGroup: 'SWEEP MODE'}),
    group: Flags.string({description: `sweep mode: group column for gauc and recall@K [default: first of ${DEFAULTS.key.join(', ')}]`, helpGroup: 'SWEEP MODE'}),
    ref: Flags.string({description: 'reference point for the hypervolume, one value per objective (task), comma-separated, in order'}),
    baseline: Flags.string({description: 'the production setting: a 0-based row index (table mode) or comma-separated weights summing to 1, one per task (sweep mode)'}),
    html: Flags.string({description: 'also write a self-contained HTML report to FILE: every point, the frontier as a step line, the baseline and weight labels; with 3+ objectives a scatter matrix and parallel coordinates (table mode: adds "chart_points" to the --json result)', helpValue: 'FILE', helpGroup: 'REPORT'}),
    interactive: Flags.boolean({description: 'with --html: inline the vega runtime (about 520 KB) so charts show values on hover', dependsOn: ['html'], helpGroup: 'REPORT'}),
  }

  /** table mode: the points, row-major, for the human table */
  private points: Float64Array = new Float64Array(0)
  /** chart workers, started before reading when --html is given so vega loads while the input is read */
  private renderer?: ChartRenderer

  async run(): Promise<ParetoResult> {
    const f = this.flags
    const hasObjectives = (f.objective?.length ?? 0) > 0
    const hasTasks = (f.task?.length ?? 0) > 0
    if (hasObjectives && hasTasks) throw new UsageError('use --objective (table mode) or --task (sweep mode), not both')
    if (!hasObjectives && !hasTasks) throw new UsageError('give --objective COL:max|min (table mode) or --task NAME=SCORE:LABEL[@FILTER] (sweep mode)')
    if (f.html !== undefined) (await import('../src/report/write.js')).checkOutputPath('--html', f.html)
    const result = hasObjectives ? await this.table() : await this.sweep()
    if (!this.jsonEnabled()) this.log(result.mode === 'table' ? printTable(result, this.points) : printSweep(result))
    // the human output says the same; with --json the notes go to stderr for the reader
    if (this.jsonEnabled()) for (const n of result.notes) this.note(`note: ${n}`)
    if (f.html !== undefined) {
      const [{paretoReport}, {reportMeta, writeReport}] = await Promise.all([import('../src/report/sections/pareto.js'), import('../src/report/index.js')])
      const meta = reportMeta({id: this.id ?? 'pareto', argv: this.argv, version: this.config.version, inputs: this.inputs})
      const w = await writeReport(f.html, paretoReport(result, meta, {interactive: f.interactive}), {interactive: f.interactive, renderer: this.renderer})
      this.note(`wrote ${f.html} (${w.bytes} bytes)`)
    }
    return result
  }

  protected override async finally(err: Error | undefined): Promise<unknown> {
    await this.renderer?.close()
    return super.finally(err)
  }

  /** Start the chart workers (after the flags are checked, before the input is read). */
  private async startRenderer(): Promise<void> {
    if (this.flags.html !== undefined) this.renderer = (await import('../src/report/renderer.js')).startChartWorkers()
  }

  private async table(): Promise<ParetoTableResult> {
    const f = this.flags
    for (const flag of SWEEP_ONLY) if (f[flag] !== undefined) throw new UsageError(`--${flag} applies to sweep mode (--task), not to table mode (--objective)`)
    const objectives = (f.objective as string[]).map(parseObjective)
    const cols = objectives.map((o) => o.column)
    const twice = cols.find((c, i) => cols.indexOf(c) !== i)
    if (twice !== undefined) throw new UsageError(`--objective column "${twice}" is given twice`)
    const ref = f.ref !== undefined ? parseNumberList('--ref', f.ref) : undefined
    if (ref && ref.length !== objectives.length) throw new UsageError(`--ref needs ${objectives.length} values (one per --objective, in order), got ${ref.length}: "${f.ref}"`)
    const requests: ColumnRequest[] = objectives.map((o) => ({role: 'objective', flag: '--objective', name: o.column, kind: 'float'}))
    await this.startRenderer()
    const {table} = await this.read(this.args.file, requests)
    const baseline = f.baseline !== undefined ? parseRowIndex('--baseline', f.baseline, table.rows) : undefined
    const {result: out, values} = paretoOfTable(table, objectives, {ref, baseline})
    this.points = values
    if (f.html !== undefined) out.chart_points = chartPoints(values, objectives.length, out.frontier, baseline)
    const notes: string[] = []
    if (out.knee === null && out.knee_reason) notes.push(`no knee point: ${out.knee_reason}`)
    if (out.knee_plane === 'unit') notes.push(UNIT_PLANE_NOTE)
    return {command: 'pareto', mode: 'table', file: this.args.file, dropped_rows: table.dropped, ...out, notes}
  }

  private async sweep(): Promise<ParetoSweepResult> {
    const f = this.flags
    const tasks: TaskSpec[] = (f.task as string[]).map(parseTask)
    const fusion = (f.fusion ?? 'product') as Fusion
    if (fusion !== 'product' && fusion !== 'sum') throw new UsageError(`--fusion must be product or sum, not "${f.fusion}"`)
    const steps = parsePositiveInt('--steps', f.steps ?? '10')
    const metric = parseMetric(f.metric ?? 'auc')
    const needsGroup = metric.kind !== 'auc'
    if (!needsGroup && f.group !== undefined) throw new UsageError('--group applies to --metric gauc and recall@K only')
    const baseline = f.baseline !== undefined ? parseNumberList('--baseline', f.baseline) : undefined
    const ref = f.ref !== undefined ? parseNumberList('--ref', f.ref) : undefined
    const group0 = needsGroup ? (f.group ?? DEFAULTS.key[0]) : undefined
    validateSweepSpec({tasks, metric, fusion, steps, times: f.times, group: group0, baseline, ref})
    const product = fusion === 'product'
    const requests: ColumnRequest[] = []
    for (const t of tasks) {
      requests.push({role: `score of task ${t.name}`, flag: '--task', name: t.score, kind: 'float', nonNegative: product})
      requests.push({role: `label of task ${t.name}`, flag: '--task', name: t.label, kind: 'label'})
      if (t.filter !== undefined) requests.push({role: `filter of task ${t.name}`, flag: '--task', name: t.filter, kind: 'label'})
    }
    if (f.times !== undefined) requests.push({role: 'factor', flag: '--times', name: f.times, kind: 'float', nonNegative: true})
    if (needsGroup) requests.push({role: 'group', flag: '--group', name: f.group, defaults: DEFAULTS.key, kind: 'key'})
    await this.startRenderer()
    const {table, names} = await this.readExplained(requests, tasks, fusion, f.times)
    const file = this.args.file === '-' ? '<stdin>' : this.args.file
    const group = needsGroup ? names[names.length - 1] : undefined
    const out = await sweepWeights(table, {file, tasks, metric, fusion, steps, times: f.times, group, baseline, ref})
    const notes: string[] = []
    if (out.knee === null && out.knee_reason) notes.push(`no knee point: ${out.knee_reason}`)
    if (out.knee_plane === 'unit') notes.push(UNIT_PLANE_NOTE)
    return {command: 'pareto', mode: 'sweep', file: this.args.file, rows: table.rows, dropped_rows: table.dropped, ...out, notes}
  }

  /** Read the sweep's columns; a negative score or factor gets a message saying why it must be >= 0. */
  private async readExplained(requests: ColumnRequest[], tasks: TaskSpec[], fusion: Fusion, times: string | undefined): Promise<ReadResult> {
    try {
      return await this.read(this.args.file, requests)
    } catch (error) {
      const suffix = '; weights must be >= 0'
      if (!(error instanceof InputError) || !error.detail.endsWith(suffix)) throw error
      const isScore = tasks.some((t) => t.score === error.column)
      const why = error.column === times && !isScore ? '--times factors must be >= 0' : `--fusion ${fusion} needs scores >= 0 (ln of a negative score is undefined; --fusion sum takes any score)`
      throw new InputError({file: error.file, line: error.line, column: error.column}, error.detail.slice(0, -suffix.length) + '; ' + why)
    }
  }
}
