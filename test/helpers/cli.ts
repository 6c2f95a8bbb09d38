import {spawnSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

/** The project root (tests run from dist/test/...). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
export const BIN = join(ROOT, 'bin', 'run.js')

export interface CliRun {
  code: number
  stdout: string
  stderr: string
  /** stdout parsed as JSON, when it is JSON */
  json?: unknown
}

/** Run the real receval CLI as a user would. */
export function receval(args: string[], opts: {input?: string | Buffer; env?: Record<string, string>; cwd?: string; timeout?: number} = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {input: opts.input, encoding: 'utf8', cwd: opts.cwd ?? ROOT, env: {...process.env, ...opts.env}, maxBuffer: 1 << 28, timeout: opts.timeout})
  let json: unknown
  try {
    json = JSON.parse(r.stdout)
  } catch {
    json = undefined
  }
  return {code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, json}
}

/** A fresh temporary directory for a test's files. */
export function tempDir(prefix = 'receval-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** Write `content` to a file in `dir` and return its path. */
export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const p = join(dir, name)
  writeFileSync(p, content)
  return p
}

/** CSV text from named columns of equal length. */
export function csvOf(cols: Record<string, readonly (string | number | boolean)[]>): string {
  const keys = Object.keys(cols)
  const n = cols[keys[0]].length
  const lines = [keys.join(',')]
  for (let i = 0; i < n; i++) lines.push(keys.map((k) => String(cols[k][i])).join(','))
  return lines.join('\n') + '\n'
}
