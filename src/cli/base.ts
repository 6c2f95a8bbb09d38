import {Command, Flags, Interfaces} from '@oclif/core'
import {InputError, ReceValError} from './errors.js'
import type {ColumnRequest, ReadResult, SourceInfo} from '../io/index.js'

/**
 * The base of every receval command: `--json` (oclif's JSON flag), the shared input flags, and
 * one error policy: user errors print one line on stderr (or an error object on stdout with
 * `--json`) and exit 2; anything else is a bug and keeps its stack only with RECEVAL_DEBUG=1.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true

  static override baseFlags = {
    format: Flags.string({
      description: 'input format when it cannot be told from the file name (required for stdin "-")',
      options: ['csv', 'tsv', 'txt', 'jsonl'],
      helpGroup: 'INPUT',
    }),
    'drop-invalid': Flags.boolean({
      description: 'drop rows whose needed values are empty, NaN, inf or unparsable (counted in dropped_rows) instead of failing',
      default: false,
      helpGroup: 'INPUT',
    }),
  }

  protected flags!: Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
  protected args!: Interfaces.InferredArgs<T['args']>

  public override async init(): Promise<void> {
    await super.init()
    const {args, flags} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (this.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    })
    this.flags = flags as typeof this.flags
    this.args = args as typeof this.args
  }

  /** Every input file this run read, with size, mtime and (when hashed) SHA-256: for run history. */
  protected inputs: SourceInfo[] = []

  /** Hash inputs while reading them (set by commands that record runs). */
  protected hashInputs = false

  /** Read the requested columns of `path` with the shared input flags (--format, --drop-invalid). */
  protected async read(path: string, requests: readonly ColumnRequest[], opts: {format?: string; dropInvalid?: boolean} = {}): Promise<ReadResult> {
    const {readTable} = await import('../io/index.js')
    const f = this.flags as {format?: string; 'drop-invalid'?: boolean}
    const r = await readTable(path, requests, {format: opts.format ?? f.format, dropInvalid: opts.dropInvalid ?? f['drop-invalid'], hash: this.hashInputs})
    this.inputs.push(r.table.source)
    return r
  }

  /** Record an input another engine read (size, mtime, and SHA-256 when runs are recorded). */
  protected async recordInput(path: string, format: string): Promise<void> {
    const {createReadStream, statSync} = await import('node:fs')
    const st = statSync(path)
    const info: SourceInfo = {path, format, bytes: st.size, mtime: st.mtime.toISOString()}
    if (this.hashInputs) {
      const {createHash} = await import('node:crypto')
      const h = createHash('sha256')
      for await (const chunk of createReadStream(path, {highWaterMark: 1 << 20})) h.update(chunk as Buffer)
      info.sha256 = h.digest('hex')
    }
    this.inputs.push(info)
  }

  /** Write a line to stderr (warnings, notes); never to stdout, which belongs to the result. */
  protected note(message: string): void {
    process.stderr.write(message + '\n')
  }

  protected override async catch(err: Error & {oclif?: {exit?: number}}): Promise<unknown> {
    if (process.env.RECEVAL_DEBUG === '1') process.stderr.write((err.stack ?? String(err)) + '\n')
    if (err.constructor?.name === 'ExitError') throw err
    const user = err instanceof ReceValError
    // oclif's own errors (unknown flag, missing argument, bad option value) are usage errors.
    const usage = !user && err.oclif !== undefined
    const exitCode = user ? err.exitCode : usage ? 2 : INTERNAL_EXIT
    if (this.jsonEnabled()) {
      const body: Record<string, unknown> = {message: err.message, code: user ? err.code : usage ? 'USAGE_ERROR' : 'INTERNAL_ERROR', exitCode}
      if (err instanceof InputError) Object.assign(body, {file: err.file, line: err.line, column: err.column})
      process.stdout.write(JSON.stringify({error: body}) + '\n')
    } else {
      const msg = user ? err.message : usage ? oneLine(err.message) + ` (see: receval ${(this.id ?? '').replaceAll(':', ' ')} --help)`.replace('  ', ' ') : `internal error: ${err.message} (set RECEVAL_DEBUG=1 for the stack)`
      process.stderr.write(`receval: ${msg}\n`)
    }
    return this.exit(exitCode)
  }
}

/** oclif's multi-line parse messages as one line, without its hints. */
function oneLine(message: string): string {
  return message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^(See more help|Note:|Alternatively)/.test(l))
    .join(' ')
    .replace(/\s+/g, ' ')
}

/** Exit code for a failure that is receval's own fault (a bug), distinct from 1 (check failed) and 2 (bad input). */
export const INTERNAL_EXIT = 70
