import {Args} from '@oclif/core'
import {HistoryCommand} from '../../src/cli/history-command.js'
import {printDiff} from '../../src/cli/print-history.js'
import {assertSameCommand, resolveRef, SideInfo, sideInfo} from '../../src/history/refs.js'
import {diffResults, ResultDiff} from '../../src/results/diff.js'

export interface RunDiffResult extends ResultDiff {
  command: 'runs diff'
  a: SideInfo
  b: SideInfo
}

export default class RunsDiff extends HistoryCommand<typeof RunsDiff> {
  static override summary = 'Every value that changed between two runs'
  static override description = `A and B are each a run id (12, run:12), tag:KEY=VALUE (the newest run with that tag; for B, the newest of A's command other than A) or a JSON result file written by --json.

Compares every number, string and boolean of the two results at the same dotted path, exactly, and lists the values that changed (with b - a and (b - a) / |a|), the paths only in A and the paths only in B. Results of different commands are refused.`

  static override examples = [
    {description: 'what changed from run 11 to run 12', command: '<%= config.bin %> runs diff 11 12'},
    {description: 'the newest main-branch run against a fresh result', command: '<%= config.bin %> runs diff tag:branch=main candidate.json'},
  ]

  static override args = {
    a: Args.string({description: 'the earlier result: run id, run:ID, tag:KEY=VALUE or a JSON file', required: true}),
    b: Args.string({description: 'the later result, the same forms', required: true}),
  }

  async run(): Promise<RunDiffResult> {
    const asRef = (t: string) => (/^\d+$/.test(t) ? `run:${t}` : t)
    const ctx = {store: () => this.store()}
    const a = await resolveRef('A', asRef(this.args.a), ctx)
    const b = await resolveRef('B', asRef(this.args.b), {...ctx, command: a.command, exclude: a.run?.id})
    assertSameCommand(a, b, ['first result', 'second result'])
    const result: RunDiffResult = {command: 'runs diff', a: sideInfo(a), b: sideInfo(b), ...diffResults(a.result, b.result)}
    if (!this.jsonEnabled()) this.log(printDiff(result))
    return result
  }
}
