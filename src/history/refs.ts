import {readFileSync, statSync} from 'node:fs'
import {InputError, UsageError} from '../cli/errors.js'
import type {RunStore, RunSummary} from './store.js'
import {formatTags, parseTag} from './tags.js'

/** Where a result comes from: a JSON file (or '-'), `run:ID`, or `tag:KEY=VALUE`. */
export type ResultRef = {kind: 'file'; path: string} | {kind: 'run'; id: number} | {kind: 'tag'; key: string; value: string}

/** A result ready to compare, with where it came from. */
export interface ResolvedResult {
  /** the reference as given */
  ref: string
  /** how messages name it: "cand.json", "run 12", "run 12 (tag:branch=main)" */
  label: string
  /** the command that produced it ("auc"), or null when a file does not say */
  command: string | null
  /** the stored run, for run: and tag: references */
  run: RunSummary | null
  result: Record<string, unknown>
}

/**
 * Parse a result reference. `run:12` and `tag:KEY=VALUE` name stored runs; anything else is a
 * file path (write `./run:12` for a file that happens to be called that).
 *
 * @throws UsageError for a malformed run: or tag: reference
 */
export function parseRef(flag: string, text: string): ResultRef {
  if (text.startsWith('run:')) {
    const id = text.slice(4)
    if (!/^\d+$/.test(id) || Number(id) < 1) throw new UsageError(`${flag} ${text}: run:ID takes a positive run number, like run:12`)
    return {kind: 'run', id: Number(id)}
  }
  if (text.startsWith('tag:')) {
    const [key, value] = parseTag(`${flag} tag:`, text.slice(4))
    return {kind: 'tag', key, value}
  }
  if (text === '') throw new UsageError(`${flag} is empty; give a JSON file, run:ID or tag:KEY=VALUE`)
  return {kind: 'file', path: text}
}

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): {line: number; column: number} {
  let line = 1
  let start = 0
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      start = i + 1
    }
  }
  return {line, column: offset - start + 1}
}

/**
 * Read a result written by a receval command's --json from a file ('-': stdin).
 *
 * @throws InputError when the file is missing, not JSON (naming line and character), not an
 *   object, or holds the error object of a failed run instead of a result
 */
export function readResultFile(path: string): Record<string, unknown> {
  const file = path === '-' ? '<stdin>' : path
  let text: string
  try {
    if (path !== '-' && statSync(path).isDirectory()) throw new InputError({file}, 'is a directory, not a JSON result')
    text = readFileSync(path === '-' ? 0 : path, 'utf8')
  } catch (e) {
    if (e instanceof InputError) throw e
    const code = (e as NodeJS.ErrnoException).code
    throw new InputError({file}, code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot read (${code})`)
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (text.trim() === '') throw new InputError({file}, 'file is empty (expected the JSON printed by a receval command with --json)')
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch (e) {
    const msg = (e as Error).message
    const at = /position (\d+)/.exec(msg)
    if (at) {
      const {line, column} = lineColumn(text, Number(at[1]))
      throw new InputError({file, line}, `not valid JSON at character ${column} (${msg.replace(/ in JSON at position \d+.*$/, '')})`)
    }
    throw new InputError({file}, `not valid JSON (${msg})`)
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InputError({file}, 'expected a JSON object (a receval result), not ' + (Array.isArray(v) ? 'a list' : JSON.stringify(v)))
  const obj = v as Record<string, unknown>
  const keys = Object.keys(obj)
  if (keys.length === 1 && keys[0] === 'error' && obj.error !== null && typeof obj.error === 'object') {
    const m = (obj.error as {message?: unknown}).message
    throw new InputError({file}, `holds the error of a failed receval run, not a result${typeof m === 'string' ? `: ${m}` : ''}`)
  }
  return obj
}

export interface ResolveContext {
  /** opens the run database on first use (only run: and tag: references need it) */
  store: () => Promise<RunStore>
  /** for tag: references, prefer runs of this command (the candidate's), so one tag can label several commands' runs */
  command?: string | null
  /** for tag: references, never this run (the candidate: a result is not its own baseline) */
  exclude?: number
}

/**
 * Resolve a reference to its result. `tag:KEY=VALUE` is the newest run with that tag (of
 * `ctx.command` when given, and other than `ctx.exclude`).
 *
 * @throws InputError when a run: or tag: matches nothing, or the file cannot be read
 */
export async function resolveRef(flag: string, text: string, ctx: ResolveContext): Promise<ResolvedResult> {
  const ref = parseRef(flag, text)
  if (ref.kind === 'file') {
    const result = readResultFile(ref.path)
    return {ref: text, label: ref.path === '-' ? '<stdin>' : ref.path, command: typeof result.command === 'string' ? result.command : null, run: null, result}
  }
  const store = await ctx.store()
  if (ref.kind === 'run') {
    const run = store.get(ref.id)
    if (!run) {
      const newest = store.list({limit: 1})[0]
      throw new InputError({file: store.file}, `${flag} ${text}: there is no run ${ref.id} (${newest ? `runs go up to ${newest.id}; see receval runs list` : 'no runs are recorded yet'})`)
    }
    const {result, ...summary} = run
    return {ref: text, label: `run ${run.id}`, command: run.command, run: summary, result}
  }
  const tags = {[ref.key]: ref.value}
  const wanted = ctx.command ?? undefined
  const newest = store.list({tags, command: wanted, limit: 2}).find((r) => r.id !== ctx.exclude)
  if (!newest) {
    const other = store.list({tags, limit: 5}).filter((r) => r.id !== ctx.exclude)
    const what = `${flag} ${text}: no ${wanted ? `${wanted} ` : ''}run ${ctx.exclude !== undefined ? `other than run ${ctx.exclude} ` : ''}is tagged ${formatTags(tags)}`
    if (other.length > 0) throw new InputError({file: store.file}, `${what} (runs ${other.map((r) => r.id).join(', ')} with that tag are ${[...new Set(other.map((r) => r.command))].join(', ')})`)
    throw new InputError({file: store.file}, `${what}; see receval runs list`)
  }
  const run = store.get(newest.id) as NonNullable<ReturnType<RunStore['get']>>
  const {result, ...summary} = run
  return {ref: text, label: `run ${run.id} (${text})`, command: run.command, run: summary, result}
}

/** Where a compared result came from, as result objects report it. */
export interface SideInfo {
  /** the reference as given: a file, run:ID or tag:KEY=VALUE */
  ref: string
  label: string
  command: string | null
  run_id: number | null
  created_at: string | null
  tags: Record<string, string> | null
}

export function sideInfo(r: ResolvedResult): SideInfo {
  return {ref: r.ref, label: r.label, command: r.command, run_id: r.run?.id ?? null, created_at: r.run?.created_at ?? null, tags: r.run?.tags ?? null}
}

/**
 * Refuse to compare results of different commands (an auc result against a recall one).
 * When a file does not say which command wrote it, there is nothing to check.
 *
 * @throws UsageError naming both sides and their commands
 */
export function assertSameCommand(a: ResolvedResult, b: ResolvedResult, roles: [string, string]): void {
  if (a.command !== null && b.command !== null && a.command !== b.command) {
    throw new UsageError(`cannot compare results of different commands: the ${roles[0]} (${a.label}) is "${a.command}", the ${roles[1]} (${b.label}) is "${b.command}"`)
  }
}
