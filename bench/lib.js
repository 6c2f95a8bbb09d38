// Shared benchmark helpers: timing whole commands (wall time and peak RSS) and DuckDB, which
// the benchmarks install into a folder of their own (bench/.duckdb), never as a project dependency.
import {spawnSync, execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {createRequire} from 'node:module'

export const BENCH = dirname(fileURLToPath(import.meta.url))
export const ROOT = join(BENCH, '..')
export const DATA = join(BENCH, 'data')
mkdirSync(DATA, {recursive: true})

/** Run a command; returns {wall (s), rssMB (peak, from /usr/bin/time or getrusage), stdout, code}. */
export function measure(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint()
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], {encoding: 'utf8', maxBuffer: 1 << 28, ...opts})
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  if (r.error) throw r.error
  const lines = r.stderr.trim().split('\n')
  const kb = Number(lines[lines.length - 1])
  return {wall, rssMB: kb / 1024, stdout: r.stdout, stderr: lines.slice(0, -1).join('\n'), code: r.status}
}

/** Best (minimum wall) of `runs` measurements; peak RSS is the max seen. */
export function best(runs, fn) {
  let out
  for (let i = 0; i < runs; i++) {
    const m = fn()
    if (!out || m.wall < out.wall) out = {...m, rssMB: Math.max(m.rssMB, out?.rssMB ?? 0)}
    else out.rssMB = Math.max(out.rssMB, m.rssMB)
  }
  return out
}

/** The receval CLI as a measured command. */
export function receval(args) {
  return measure(process.execPath, [join(ROOT, 'bin/run.js'), ...args])
}

const DUCK = join(BENCH, '.duckdb')
/** Install @duckdb/node-api into bench/.duckdb once; returns the path of a runner script. */
export function duckdbRunner() {
  if (!existsSync(join(DUCK, 'node_modules/@duckdb/node-api'))) {
    mkdirSync(DUCK, {recursive: true})
    if (!existsSync(join(DUCK, 'package.json'))) writeFileSync(join(DUCK, 'package.json'), '{"name":"receval-bench-duckdb","private":true}\n')
    process.stderr.write('installing @duckdb/node-api into bench/.duckdb (once) ...\n')
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '@duckdb/node-api@1.5.6-r.1'], {cwd: DUCK, stdio: 'inherit'})
  }
  const runner = join(DUCK, 'run-sql.mjs')
  writeFileSync(runner, `import {DuckDBInstance} from '@duckdb/node-api'
import {readFileSync} from 'node:fs'
const sql = readFileSync(process.argv[2], 'utf8')
const threads = process.argv[3] || '2'
const db = await DuckDBInstance.create(':memory:', {threads})
const con = await db.connect()
const reader = await con.runAndReadAll(sql)
console.log(JSON.stringify(reader.getRowObjectsJson()))
`)
  return runner
}

/** Time DuckDB running `sql` (a string) in a fresh process. */
export function duckdb(sql, name = 'query') {
  const runner = duckdbRunner()
  const file = join(DATA, `${name}.sql`)
  writeFileSync(file, sql)
  return measure(process.execPath, [runner, file], {cwd: DUCK})
}

export function requireFromDuck(id) {
  return createRequire(join(DUCK, 'package.json'))(id)
}

/** One line of a results table. */
export function row(label, m, extra = '') {
  return `${label.padEnd(44)} ${m.wall.toFixed(2).padStart(7)} s ${m.rssMB.toFixed(0).padStart(7)} MB ${extra}`
}
