import {Args} from '@oclif/core'
import {HistoryCommand} from '../../src/cli/history-command.js'
import {printRun} from '../../src/cli/print-history.js'
import {parseRef, resolveRef} from '../../src/history/refs.js'
import type {StoredRun} from '../../src/history/store.js'
import {UsageError} from '../../src/cli/errors.js'

export default class RunsShow extends HistoryCommand<typeof RunsShow> {
  static override summary = 'Show one recorded run with its inputs, tags and full result'
  static override description = `RUN is a run id (12 or run:12) or tag:KEY=VALUE (the newest run with that tag). With --json, prints the stored run: id, command, created_at, duration_ms, receval_version, tags, argv, cwd, inputs (path, format, bytes, mtime, sha256) and result.`

  static override examples = [
    {description: 'run 12 as a table of every value in its result', command: '<%= config.bin %> runs show 12'},
    {description: 'the newest run of the main branch, as JSON', command: '<%= config.bin %> runs show tag:branch=main --json'},
  ]

  static override args = {
    run: Args.string({description: 'run id (12, run:12) or tag:KEY=VALUE', required: true}),
  }

  async run(): Promise<StoredRun> {
    const text = /^\d+$/.test(this.args.run) ? `run:${this.args.run}` : this.args.run
    if (parseRef('RUN', text).kind === 'file') throw new UsageError(`RUN takes a run id (12, run:12) or tag:KEY=VALUE, not "${this.args.run}"`)
    const store = await this.store()
    const found = await resolveRef('RUN', text, {store: async () => store})
    const run = store.get(found.run?.id as number) as StoredRun
    if (!this.jsonEnabled()) this.log(printRun(run))
    return run
  }
}
