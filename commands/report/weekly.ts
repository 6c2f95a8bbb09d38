import {Flags} from '@oclif/core'
import {statSync} from 'node:fs'
import {HistoryCommand} from '../../src/cli/history-command.js'
import {UsageError} from '../../src/cli/errors.js'
import {printWeekly} from '../../src/cli/print-weekly.js'
import {parseWhen} from '../../src/history/dates.js'
import {previousWindow, weeklySummary, WeeklySummary} from '../../src/history/weekly.js'
import type {ChartRenderer} from '../../src/report/renderer.js'

export interface WeeklyResult extends WeeklySummary {
  command: 'report weekly'
  /** the --html file written */
  html: string
  /** --tolerance as a share (0.005 for 0.5%) */
  tolerance: number
}

const WEEK_MS = 7 * 86_400_000

export default class ReportWeekly extends HistoryCommand<typeof ReportWeekly> {
  static override summary = 'One page of how the recorded metrics moved over a week'
  static override description = `Reads the runs recorded with --record in the window (default: the 7 days up to now) and the window of the same length before it, and writes a self-contained HTML page: the regressions, the A/B tests recorded in the window, and for each command a table of every metric per series and one chart per metric over time.

A series is the runs of one command with the same tags, leaving out tags whose value differs in every run (a commit, a date); --by KEY groups by the given tag keys instead. A metric regresses when this window's mean is worse than the previous window's by more than --tolerance: higher is better for AUC-like metrics and recall, lower for logloss, NE and Brier, closer to 1 for calibration.`

  static override examples = [
    {description: 'the last seven days', command: '<%= config.bin %> report weekly --db receval.sqlite --html weekly.html'},
    {description: 'a fixed week, one series per model, failing the job on a regression', command: '<%= config.bin %> report weekly --since 2024-05-06 --until 2024-05-12 --by model --html week19.html --fail-on-regression'},
  ]

  static override flags = {
    html: Flags.string({description: 'write the report to FILE', required: true, helpValue: 'FILE'}),
    since: Flags.string({description: 'window start: 2024-05-01, 2024-05-01T12:00:00Z or an age like 7d [default: --until minus 7 days]'}),
    until: Flags.string({description: 'window end, exclusive (a plain date includes that day) [default: now]'}),
    by: Flags.string({description: 'group series by this tag key (repeatable) instead of by all tags that repeat', multiple: true}),
    tolerance: Flags.string({description: 'relative worsening of a window mean that counts as a regression', default: '0.5%'}),
    interactive: Flags.boolean({description: 'inline the vega runtime (about 520 KB) so charts show values on hover', default: false}),
    'fail-on-regression': Flags.boolean({description: 'exit 1 when any regression is flagged (the page is written first)', default: false}),
  }

  private renderer?: ChartRenderer

  async run(): Promise<WeeklyResult> {
    const f = this.flags
    const {checkOutputPath} = await import('../../src/report/write.js')
    checkOutputPath('--html', f.html)
    const tolMatch = /^(\d+(?:\.\d+)?)\s*%$/.exec(f.tolerance.trim())
    if (!tolMatch) throw new UsageError(`--tolerance takes a percentage like 0.5%, not "${f.tolerance}"`)
    const tolerance = Number(tolMatch[1]) / 100
    const now = new Date()
    const until = f.until !== undefined ? parseWhen('--until', f.until, 'end', now) : now.toISOString()
    const since = f.since !== undefined ? parseWhen('--since', f.since, 'start', now) : new Date(Date.parse(until) - WEEK_MS).toISOString()
    if (since >= until) throw new UsageError(`--since ${f.since ?? since} is not before --until ${f.until ?? until}: the window is empty`)
    for (const k of f.by ?? []) if (!/^[A-Za-z0-9][A-Za-z0-9_.\-/:]*$/.test(k)) throw new UsageError(`--by takes a tag key (like model or branch), not "${k}"`)

    const store = await this.store()
    this.renderer = (await import('../../src/report/renderer.js')).startChartWorkers()
    const runs = store.listWithResults({since: previousWindow(since, until), until})
    const summary = weeklySummary(runs, {since, until, by: f.by, tolerance})

    const [{weeklyReport}, {reportMeta, writeReport}] = await Promise.all([import('../../src/report/sections/weekly.js'), import('../../src/report/index.js')])
    const st = statSync(store.file)
    const meta = reportMeta({id: this.id ?? 'report:weekly', argv: this.argv, version: this.config.version, inputs: [{path: store.file, format: 'sqlite', bytes: st.size, mtime: st.mtime.toISOString()}]})
    const w = await writeReport(f.html, weeklyReport(summary, meta, {interactive: f.interactive, tolerance, by: f.by, db: store.file}), {interactive: f.interactive, renderer: this.renderer})
    for (const warning of w.warnings) this.note(`warning: ${warning}`)
    const result: WeeklyResult = {command: 'report weekly', html: f.html, tolerance, ...summary}
    if (!this.jsonEnabled()) this.log(printWeekly(result))
    this.note(`wrote ${f.html} (${w.bytes} bytes)`)
    if (f['fail-on-regression'] && summary.regressions.length > 0) {
      this.note(`receval: ${summary.regressions.length} regression${summary.regressions.length === 1 ? '' : 's'} (--fail-on-regression)`)
      process.exitCode = 1
    }
    return result
  }

  protected override async finally(err: Error | undefined): Promise<unknown> {
    await this.renderer?.close()
    return super.finally(err)
  }
}
