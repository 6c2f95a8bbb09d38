import type {RunSummary, StoredRun} from '../history/store.js'
import {formatTags} from '../history/tags.js'
import {formatPath, leaves} from '../results/paths.js'
import type {ResultDiff} from '../results/diff.js'
import {Cell, fmt, formatTable} from './format.js'

/** `2024-05-01T12:00:00.123Z` -> `2024-05-01 12:00:00Z` for tables. */
export function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')
}

/** 850 ms, 2.3 s, 4m 05s. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const s = Math.round(ms / 1000)
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`
}

export function printRunList(runs: readonly RunSummary[]): string {
  if (runs.length === 0) return 'no runs match'
  return formatTable(
    ['id', 'started (UTC)', 'command', 'duration', 'tags'],
    runs.map((r) => [String(r.id), shortTime(r.created_at), r.command, duration(r.duration_ms), formatTags(r.tags)]),
  )
}

const value = (v: unknown): Cell => (typeof v === 'number' || typeof v === 'string' || v === null ? (v as Cell) : JSON.stringify(v))

export function printRun(run: StoredRun): string {
  const out: string[] = []
  out.push(`run ${run.id}: receval ${run.command}, started ${shortTime(run.created_at)}, took ${duration(run.duration_ms)}, receval ${run.receval_version}`)
  out.push(`arguments: ${run.argv.map((a) => (/^[\w./:=@%+,-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}`)
  if (run.cwd) out.push(`directory: ${run.cwd}`)
  if (Object.keys(run.tags).length) out.push(`tags: ${formatTags(run.tags)}`)
  if (run.inputs.length) {
    out.push('', 'inputs:')
    out.push(formatTable(['path', 'format', 'bytes', 'modified (UTC)', 'sha256'], run.inputs.map((i) => [i.path, i.format ?? '', i.bytes !== undefined ? String(i.bytes) : '', i.mtime ? shortTime(i.mtime) : '', i.sha256 ?? '']), {indent: '  '}))
  }
  out.push('', 'result:')
  // Exact values here (show is for reading what was stored), rounded ones in diff.
  out.push(formatTable(['path', 'value'], leaves(run.result).map((l) => [formatPath(l.path), l.value === null ? 'null' : String(l.value)]), {indent: '  '}))
  return out.join('\n')
}

export interface DiffSideInfo {
  label: string
  created_at: string | null
}

export function printDiff(d: ResultDiff & {a: DiffSideInfo; b: DiffSideInfo}): string {
  const out: string[] = []
  out.push(`a: ${d.a.label}${d.a.created_at ? `, ${shortTime(d.a.created_at)}` : ''}`)
  out.push(`b: ${d.b.label}${d.b.created_at ? `, ${shortTime(d.b.created_at)}` : ''}`)
  out.push('')
  if (d.changed.length === 0) out.push(`no value changed (${d.unchanged} equal)`)
  else {
    out.push(
      formatTable(
        ['path', 'a', 'b', 'b - a', 'relative'],
        d.changed.map((c) => [c.path, value(c.a), value(c.b), c.delta, c.relative === null ? null : `${c.relative >= 0 ? '+' : ''}${fmt(c.relative * 100, 2)}%`]),
      ),
    )
    out.push('', `${d.changed.length} changed, ${d.unchanged} equal`)
  }
  if (d.added.length) out.push('', 'only in b:', ...d.added.map((x) => `  ${x.path} = ${JSON.stringify(x.value)}`))
  if (d.removed.length) out.push('', 'only in a:', ...d.removed.map((x) => `  ${x.path} = ${JSON.stringify(x.value)}`))
  return out.join('\n')
}
