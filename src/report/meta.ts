import type {SourceInfo} from '../io/index.js'
import type {ReportMeta} from './types.js'

/** What a command knows about its own run, for the report frame. */
export interface CommandRun {
  /** oclif command id: "auc", "report:weekly" */
  id: string
  /** the arguments after the command id, as typed (oclif `this.argv`) */
  argv: readonly string[]
  /** the receval version (oclif `this.config.version`) */
  version: string
  /** the files read (BaseCommand `this.inputs`) */
  inputs: readonly SourceInfo[]
  tags?: Record<string, string>
}

/**
 * The common frame of a report from a command's run: the command line that reproduces it, the
 * inputs, the version and the time. The time is now, or SOURCE_DATE_EPOCH (seconds) when set,
 * so that a report can be made byte-for-byte reproducible.
 */
export function reportMeta(run: CommandRun, now: Date = reportTime()): ReportMeta {
  const words = run.id.split(':')
  return {
    command: words.join(' '),
    version: run.version,
    generatedAt: now.toISOString(),
    argv: ['receval', ...words, ...run.argv],
    cwd: process.cwd(),
    inputs: run.inputs.map((s) => ({path: s.path, format: s.format, bytes: s.bytes, mtime: s.mtime, sha256: s.sha256})),
    ...(run.tags && Object.keys(run.tags).length ? {tags: run.tags} : {}),
  }
}

/** Now, or SOURCE_DATE_EPOCH when it is set (reproducible output). */
export function reportTime(): Date {
  const e = process.env.SOURCE_DATE_EPOCH
  if (e !== undefined && /^\d+$/.test(e)) return new Date(Number(e) * 1000)
  return new Date()
}
