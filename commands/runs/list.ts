import {Flags} from '@oclif/core'
import {HistoryCommand} from '../../src/cli/history-command.js'
import {UsageError} from '../../src/cli/errors.js'
import {printRunList} from '../../src/cli/print-history.js'
import {parseWhen} from '../../src/history/dates.js'
import {parseTags} from '../../src/history/tags.js'
import type {RunSummary} from '../../src/history/store.js'

export interface RunListResult {
  command: 'runs list'
  /** newest first */
  runs: RunSummary[]
  /** how many runs match the filters (runs holds at most --limit of them) */
  total: number
}

export default class RunsList extends HistoryCommand<typeof RunsList> {
  static override summary = 'List recorded runs, newest first'
  static override description = `Runs stored with --record, filtered by tag (all given tags must match), command and start time. Times are UTC; --since is inclusive and --until exclusive, except that a plain date for --until includes that whole day.`

  static override examples = [
    {description: 'the latest runs', command: '<%= config.bin %> runs list'},
    {description: 'auc runs of the main branch in the last week, as JSON', command: '<%= config.bin %> runs list --command auc --tag branch=main --since 7d --json'},
    {description: 'every run of one model in May', command: '<%= config.bin %> runs list --tag model=v2 --since 2024-05-01 --until 2024-05-31 --limit 0'},
  ]

  static override flags = {
    tag: Flags.string({description: 'only runs with this KEY=VALUE tag (repeatable: all must match)', multiple: true}),
    command: Flags.string({description: 'only runs of this command (auc, recall, ab, pareto, ...)'}),
    since: Flags.string({description: 'only runs started at or after: 2024-05-01, 2024-05-01T12:00:00Z, or an age like 7d, 12h'}),
    until: Flags.string({description: 'only runs started before this time (a plain date includes that day)'}),
    limit: Flags.integer({description: 'at most this many runs (0: all)', default: 100, min: 0}),
  }

  async run(): Promise<RunListResult> {
    const f = this.flags
    const filter = {
      tags: parseTags('--tag', f.tag ?? []),
      command: f.command,
      since: f.since !== undefined ? parseWhen('--since', f.since, 'start') : undefined,
      until: f.until !== undefined ? parseWhen('--until', f.until, 'end') : undefined,
    }
    if (filter.since && filter.until && filter.since >= filter.until) throw new UsageError(`--since ${f.since} is not before --until ${f.until}: the window is empty`)
    const store = await this.store()
    const runs = store.list({...filter, limit: f.limit === 0 ? undefined : f.limit})
    const total = runs.length < (f.limit || Infinity) ? runs.length : store.count(filter)
    if (!this.jsonEnabled()) {
      this.log(printRunList(runs))
      if (total > runs.length) this.note(`showing the newest ${runs.length} of ${total} runs (--limit 0 shows all)`)
    }
    return {command: 'runs list', runs, total}
  }
}
