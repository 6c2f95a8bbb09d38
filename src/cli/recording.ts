import {Command, Flags} from '@oclif/core'
import {performance} from 'node:perf_hooks'
import {BaseCommand} from './base.js'
import {UsageError} from './errors.js'
import {dbPath} from '../history/location.js'
import {parseTags} from '../history/tags.js'
import type {RunStore} from '../history/store.js'

/**
 * The base of every metric command: BaseCommand plus run history. With `--record` the run is
 * stored after run() succeeds: command, arguments, the input files (path, format, size, mtime
 * and a SHA-256 computed while they were read), start time, duration, receval version,
 * `--tag`s and the JSON result, in `--db FILE`, else $RECEVAL_DB, else ./receval.sqlite.
 *
 * The database is opened (created, upgraded) before the command does its work, so a bad
 * database fails in milliseconds rather than after a long evaluation; SQLite is loaded only then.
 */
export abstract class RecordingCommand<T extends typeof Command> extends BaseCommand<T> {
  static override baseFlags = {
    ...BaseCommand.baseFlags,
    record: Flags.boolean({
      description: 'store this run (arguments, input fingerprints, tags, result) in the run database',
      default: false,
      helpGroup: 'HISTORY',
    }),
    db: Flags.string({
      description: 'run database for --record [default: $RECEVAL_DB, else ./receval.sqlite]',
      helpGroup: 'HISTORY',
    }),
    tag: Flags.string({
      description: 'KEY=VALUE stored with the run, repeatable (model=v2, branch=main, commit=abc123)',
      multiple: true,
      helpGroup: 'HISTORY',
    }),
  }

  private startedAt = new Date()
  private startedMs = performance.now()
  private store?: RunStore
  private runTags: Record<string, string> = {}

  public override async init(): Promise<void> {
    this.startedAt = new Date()
    this.startedMs = performance.now()
    await super.init()
    const f = this.flags as unknown as {record: boolean; db?: string; tag?: string[]}
    this.runTags = parseTags('--tag', f.tag ?? [])
    if (!f.record) {
      if (f.tag?.length || f.db !== undefined) throw new UsageError(`${f.tag?.length ? '--tag' : '--db'} only applies with --record`)
      return
    }
    this.hashInputs = true
    const {RunStore} = await import('../history/store.js')
    this.store = await RunStore.open(dbPath(f.db), {create: true, recevalVersion: this.config.version})
    // Store the result after the subclass's run() returns it, before oclif prints it: a run
    // that cannot be recorded fails (exit 2) instead of passing silently unrecorded.
    const measure = this.run.bind(this)
    this.run = async () => {
      const result = await measure()
      this.save(result)
      return result
    }
  }

  private save(result: unknown): void {
    const store = this.store as RunStore
    const id = store.record({
      command: this.id?.replaceAll(':', ' ') ?? this.ctor.name.toLowerCase(),
      argv: this.argv,
      cwd: process.cwd(),
      created_at: this.startedAt.toISOString(),
      duration_ms: Math.round((performance.now() - this.startedMs) * 1000) / 1000,
      receval_version: this.config.version,
      inputs: this.inputs.map((s) => ({path: s.path, format: s.format, bytes: s.bytes, mtime: s.mtime, sha256: s.sha256})),
      tags: this.runTags,
      result,
    })
    this.note(`recorded run ${id} in ${store.file}`)
  }

  protected override async finally(err: Error | undefined): Promise<unknown> {
    this.store?.close()
    return super.finally(err)
  }
}
