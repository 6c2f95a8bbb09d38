import {Args, Flags} from '@oclif/core'
import {AbFlags, AbResult, ARM_DEFAULTS, DEFAULT_TUNING, runAb} from '../src/ab/run.js'
import {RecordingCommand} from '../src/cli/recording.js'
import {UsageError} from '../src/cli/errors.js'
import {printAb} from '../src/cli/print-ab.js'
import {Method} from '../src/ab/analyze.js'
import type {ChartRenderer} from '../src/report/renderer.js'
import {Correction} from '../src/stats/multiple-testing.js'

export default class Ab extends RecordingCommand<typeof Ab> {
  static override summary = 'Online A/B significance for CTR, CPM, CVR, PPC and per-user metrics, randomized by user'
  static override description = `Reads one row per randomization unit (a user; with --unit, rows per unit are summed first)
and compares every treatment arm with the control on each --metric: a ratio of sums
(ctr=clicks/impressions, cpm=1000*cost/impressions) by the delta method, or a mean per unit,
with Welch's t-test, intervals for the difference and the relative lift, an SRM check, and
Holm (default with several results) or Benjamini-Hochberg adjustment. Impression-level tests
are wrong when users are randomized: see docs/ab.md.`

  static override examples = [
    {description: 'CTR and CPM of a two-arm test', command: '<%= config.bin %> ab fixtures/ab/users.csv --arm arm --control control --metric ctr=clicks/impressions --metric cpm=1000*cost/impressions'},
    {description: 'rows per user per day: sum per user, results per day, CUPED on a pre-period value', command: '<%= config.bin %> ab fixtures/ab/user-days.csv --unit user_id --day day --control control --metric ctr=clicks/impressions --covariate ctr=pre_clicks'},
    {description: 'daily peeking with always-valid intervals', command: '<%= config.bin %> ab fixtures/ab/user-days.csv --unit user_id --day day --control control --metric ctr=clicks/impressions --sequential'},
    {description: 'aggregated statistics exported from a warehouse (made by receval sql ab)', command: '<%= config.bin %> ab --stats fixtures/ab/stats.csv --control control --json'},
    {description: 'a file larger than memory, aggregated by DuckDB (npm install @duckdb/node-api)', command: '<%= config.bin %> ab events.parquet --unit user_id --day day --metric ctr=clicks/impressions --engine duckdb'},
    {description: 'an HTML report: SRM check, results, forest plot, lift by day', command: '<%= config.bin %> ab fixtures/ab/user-days.csv --unit user_id --day day --metric ctr=clicks/impressions --metric cpm=1000*cost/impressions --html ab.html'},
  ]

  static override args = {
    file: Args.string({description: 'unit-level file (.csv, .tsv, .txt, .jsonl, optionally .gz), or - for stdin; omit with --stats', required: false}),
  }

  static override flags = {
    arm: Flags.string({description: `arm (variant) column [default: first of ${ARM_DEFAULTS.join(', ')}]`}),
    control: Flags.string({description: 'the control arm [default: "control" when there is such an arm]'}),
    metric: Flags.string({description: 'NAME=COL (mean per unit) or NAME=[SCALE*]NUM/DEN (ratio of sums), repeatable; with --stats, NAME selects', multiple: true, multipleNonGreedy: true}),
    unit: Flags.string({description: 'randomization unit column (e.g. user_id): rows sharing (arm, unit) are summed first'}),
    day: Flags.string({description: 'day column: results per day and cumulative'}),
    alpha: Flags.string({description: 'significance level', default: '0.05'}),
    correction: Flags.string({description: 'multiple-testing adjustment over all (metric, arm) results: none, holm or bh (Benjamini-Hochberg) [default: holm when there are several, else none]'}),
    'expected-split': Flags.string({description: 'expected shares by arm for the SRM check, e.g. control=50,treatment=50 [default: equal]'}),
    stats: Flags.string({description: 'aggregated per-arm (per-day) sufficient statistics instead of FILE; several files are shards (docs/ab.md)', multiple: true}),
    method: Flags.string({description: 'welch (unit-level delta method, Welch df) or paired-days (paired t-test over daily metric values; needs --day)', default: 'welch'}),
    covariate: Flags.string({description: 'CUPED: METRIC=COL, a pre-period value per unit (pooled theta over arms), repeatable', multiple: true, multipleNonGreedy: true}),
    cap: Flags.string({description: 'cap unit-level values: COL=P99.9 (percentile over all units) or COL=VALUE, repeatable', multiple: true, multipleNonGreedy: true}),
    sequential: Flags.boolean({description: 'always-valid confidence sequences and p-values (safe to peek daily)', default: false}),
    'sequential-tuning': Flags.string({description: 'the tuning parameter N* of --sequential: the total units at which intervals are tightest', default: String(DEFAULT_TUNING)}),
    power: Flags.string({description: 'power for the minimum detectable effect (mde) of each result', default: '0.8'}),
    engine: Flags.string({description: 'rows: read the rows here (default); duckdb: let DuckDB (optional dependency) sum the file to units and arms out of core and analyse its statistics, for files larger than memory', options: ['rows', 'duckdb'], default: 'rows'}),
    html: Flags.string({description: 'also write a self-contained HTML report to FILE (SRM banner, results, forest plot of lifts, lift by day)', helpValue: 'FILE', helpGroup: 'REPORT'}),
    interactive: Flags.boolean({description: 'with --html: inline the vega runtime (about 520 KB) so charts show values on hover', dependsOn: ['html'], helpGroup: 'REPORT'}),
  }

  /** chart workers for --html, started once the input is read so vega loads while the analysis runs */
  private renderer?: ChartRenderer

  async run(): Promise<AbResult> {
    const f = this.flags
    const number = (flag: string, v: string) => {
      const x = Number(v)
      if (v.trim() === '' || !Number.isFinite(x)) throw new UsageError(`--${flag} must be a number, not "${v}"`)
      return x
    }
    if (f.html !== undefined) (await import('../src/report/write.js')).checkOutputPath('--html', f.html)
    // once the input is read, the chart workers import vega on the core the analysis leaves free
    const startCharts = async () => {
      if (f.html !== undefined && !this.renderer) this.renderer = (await import('../src/report/renderer.js')).startChartWorkers()
    }
    const flags: AbFlags = {
      file: this.args.file,
      stats: f.stats,
      arm: f.arm,
      control: f.control,
      metric: f.metric ?? [],
      unit: f.unit,
      day: f.day,
      alpha: number('alpha', f.alpha),
      correction: f.correction as Correction | undefined,
      expectedSplit: f['expected-split'],
      method: f.method as Method,
      covariate: f.covariate ?? [],
      cap: f.cap ?? [],
      sequential: f.sequential,
      tuning: number('sequential-tuning', f['sequential-tuning']),
      power: number('power', f.power),
    }
    let result: AbResult
    if (f.engine === 'duckdb') {
      if (flags.stats !== undefined && flags.stats.length > 0) throw new UsageError('--engine duckdb reads a unit-level file; --stats files are analysed without it')
      if (flags.file === undefined) throw new UsageError('give FILE (the rows for DuckDB to aggregate) with --engine duckdb')
      const {abOnDuckDb} = await import('../src/warehouse/engine-ab.js')
      result = await abOnDuckDb({view: 'rv_input', path: flags.file, format: f.format}, flags, f['drop-invalid'])
      await this.recordInput(flags.file, f.format ?? 'duckdb')
      await startCharts()
    } else {
      result = await runAb(flags, async (path, requests) => {
        const r = await this.read(path, requests)
        await startCharts()
        return r
      })
    }
    if (!this.jsonEnabled()) this.log(printAb(result))
    for (const n of result.notes) this.note(`note: ${n}`)
    if (f.html !== undefined) {
      const [{abReport}, {reportMeta, writeReport}] = await Promise.all([import('../src/report/sections/ab.js'), import('../src/report/index.js')])
      const meta = reportMeta({id: this.id ?? 'ab', argv: this.argv, version: this.config.version, inputs: this.inputs})
      const w = await writeReport(f.html, abReport(result, meta, {interactive: f.interactive}), {interactive: f.interactive, renderer: this.renderer})
      this.note(`wrote ${f.html} (${w.bytes} bytes)`)
    }
    return result
  }

  protected override async finally(err: Error | undefined): Promise<unknown> {
    await this.renderer?.close()
    return super.finally(err)
  }
}
