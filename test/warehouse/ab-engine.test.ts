import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {gzipSync} from 'node:zlib'
import {join} from 'node:path'
import {ROOT, tempDir, writeFile} from '../helpers/cli.js'
import {nearDeep} from '../helpers/assert.js'
import {DUCKDB_MISSING, loadDuckDB} from '../helpers/duckdb.js'
import {recevalAsync as receval} from '../commands/cli-async.js'

/* eslint-disable @typescript-eslint/no-explicit-any */

// `receval ab --engine duckdb` runs the statistics query of `receval sql ab --dialect duckdb` in
// DuckDB over the input file and analyses the result as `ab --stats` does: it must print what
// the row-level command prints, every number to 1e-12 relative and everything else (arms,
// notes, capping thresholds, rows) exactly, with the same errors.
const skip = (await loadDuckDB()) ? false : DUCKDB_MISSING
const dir = tempDir('receval-ab-engine-')
const USERS = 'fixtures/ab/users.csv'
const DAYS = 'fixtures/ab/user-days.csv'

/** Every number of `want` equals the one in `got` to 1e-12 relative; everything else exactly. */
const same = (got: any, want: any, path = ''): void => nearDeep(got, want, 1e-12, path)

async function json(args: string[]): Promise<any> {
  const r = await receval(['ab', ...args, '--json'])
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stdout.slice(0, 300)} ${r.stderr}`)
  return r.json
}

/** The engine's result equals the row-level one but for `engine` (and `file` when the inputs differ). */
async function both(args: string[], engineArgs = args): Promise<any> {
  const [rows, engine] = await Promise.all([json(args), json([...engineArgs, '--engine', 'duckdb'])])
  assert.equal(engine.engine, 'duckdb')
  const {engine: _e, ...rest} = engine
  if (engineArgs[0] !== args[0]) rest.file = rows.file
  same(rest, rows)
  return rows
}

async function fails(args: string[], re: RegExp): Promise<string> {
  const r = await receval(['ab', ...args])
  assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code} ${r.stdout}${r.stderr}`)
  const lines = r.stderr.trim().split('\n')
  assert.equal(lines.length, 1, r.stderr)
  assert.match(lines[0], re)
  return lines[0]
}

const M = ['--metric', 'ctr=clicks/impressions', '--metric', 'cpm=1000*cost/impressions']

describe('receval ab --engine duckdb', {concurrency: 2, skip}, () => {
  test('users.csv: three metrics, CUPED and a percentile cap equal the row-level command (same threshold, same units capped)', async () => {
    const rows = await both([USERS, ...M, '--metric', 'cost_per_user=cost', '--metric', 'clicks=clicks', '--covariate', 'clicks=pre_clicks', '--cap', 'cost=P99.9', '--cap', 'clicks=50'])
    assert.equal(rows.capping[0].units_capped, 2)
  })

  test('user-days.csv --unit --day: daily, cumulative, sequential, percentile caps on a sum over days', async () => {
    const rows = await both([DAYS, '--unit', 'user_id', '--day', 'day', ...M, '--metric', 'clicks=clicks', '--covariate', 'clicks=pre_clicks', '--cap', 'cost=P99', '--cap', 'cost=P99.5', '--sequential'])
    assert.equal(rows.cumulative.length, 7 * 3 * 2)
  })

  test('user-days.csv --day without --unit, and --method paired-days', async () => {
    await both([DAYS, '--day', 'day', ...M, '--control', 'blue'])
    await both([DAYS, '--unit', 'user_id', '--day', 'day', '--metric', 'cpm=1000*cost/impressions', '--method', 'paired-days'])
  })

  test('TSV, gzip, JSONL and Parquet inputs', async () => {
    const csv = readFileSync(join(ROOT, USERS), 'utf8')
    const tsv = writeFile(dir, 'users.tsv', csv.replace(/,/g, '\t'))
    const gz = writeFile(dir, 'users.csv.gz', gzipSync(csv))
    const [head, ...lines] = csv.trim().split('\n')
    const cols = head.split(',')
    const jsonl = writeFile(dir, 'users.jsonl', lines.map((l) => JSON.stringify(Object.fromEntries(l.split(',').map((v, i) => [cols[i], i < 2 ? v : Number(v)])))).join('\n') + '\n')
    // Parquet with native types (counts BIGINT, cost DOUBLE), written by DuckDB itself
    const duck = (await loadDuckDB())!
    const c = await (await duck.DuckDBInstance.create(':memory:')).connect()
    const parquet = join(dir, 'users.parquet')
    await c.run(`COPY (SELECT * FROM read_csv('${join(ROOT, USERS)}')) TO '${parquet}' (FORMAT PARQUET)`)
    c.closeSync?.()
    for (const file of [tsv, gz, jsonl, parquet]) await both([USERS, ...M, '--covariate', 'ctr=pre_clicks'], [file, ...M, '--covariate', 'ctr=pre_clicks'])
  })

  test('--drop-invalid: the same rows are left out and counted; without it the bad column is named (exit 2)', async () => {
    const lines = readFileSync(join(ROOT, USERS), 'utf8').trim().split('\n')
    // cost (the 5th column) empty or not a number on every 97th row
    const bad = lines.map((l, i) => {
      if (i === 0 || i % 97 !== 0) return l
      const f = l.split(',')
      f[4] = i % 2 ? '' : 'abc'
      return f.join(',')
    })
    const file = writeFile(dir, 'dirty.csv', bad.join('\n') + '\n')
    const rows = await both([file, ...M, '--drop-invalid'])
    assert.equal(rows.dropped_rows, 20)
    await fails([file, ...M, '--engine', 'duckdb'], /dirty\.csv: column "cost" has NULL, NaN, infinite or non-numeric values: fill them in or filter them out \(--drop-invalid leaves such rows out\)/)
    const neg = writeFile(dir, 'negative.csv', lines.map((l, i) => (i === 5 ? l.replace(/^([^,]*,[^,]*,)\d+/, '$1-3') : l)).join('\n') + '\n')
    await fails([neg, ...M, '--engine', 'duckdb'], /negative\.csv: column "impressions" has negative values, but it is a count or amount in a ratio metric and must be >= 0/)
    await fails([neg, ...M, '--engine', 'duckdb', '--drop-invalid'], /column "impressions" has negative values/)
  })

  test('a unit in two arms gives the row-level note; an empty arm or a covariate that differs within a unit exits 2', async () => {
    const lines = readFileSync(join(ROOT, DAYS), 'utf8').trim().split('\n')
    const moved = lines.map((l, i) => (i === 10 ? l.replace(/,(control|blue|green),/, (_, a) => `,${a === 'control' ? 'green' : 'control'},`) : l))
    const file = writeFile(dir, 'moved.csv', moved.join('\n') + '\n')
    const rows = await both([file, '--unit', 'user_id', ...M])
    assert.match(rows.notes[0], /^1 unit \(e\.g\. "v\d+"\) appears in more than one arm/)
    const empty = writeFile(dir, 'empty-arm.csv', lines.map((l, i) => (i === 3 ? l.replace(/,(control|blue|green),/, ',,') : l)).join('\n') + '\n')
    await fails([empty, '--unit', 'user_id', ...M, '--engine', 'duckdb'], /empty-arm\.csv: rows with an empty arm \(column "arm" NULL or empty\)/)
    // user v12 has rows on four days; one of them gets another pre-period value
    const first = lines.findIndex((l) => l.split(',')[1] === 'v12')
    const cov = writeFile(dir, 'cov.csv', lines.map((l, i) => (i === first ? l.replace(/,(\d+)$/, (_, v) => `,${Number(v) + 1}`) : l)).join('\n') + '\n')
    const args = [cov, '--unit', 'user_id', '--metric', 'clicks=clicks', '--covariate', 'clicks=pre_clicks']
    await fails(args, /column "pre_clicks": unit "v12" has different covariate values/)
    await fails([...args, '--engine', 'duckdb'], /cov\.csv: covariate column "pre_clicks" differs between the rows of one unit/)
  })

  test('errors of the row-level command: a missing column, an unknown control, --stats or stdin with the engine', async () => {
    const missing = await fails([USERS, '--metric', 'ctr=clicks/views', '--engine', 'duckdb'], /users\.csv: /)
    const rowLevel = await receval(['ab', USERS, '--metric', 'ctr=clicks/views'])
    assert.equal(missing, rowLevel.stderr.trim())
    await fails([USERS, ...M, '--control', 'blue', '--engine', 'duckdb'], /--control "blue" is not an arm; the arms in fixtures\/ab\/users\.csv are: "control", "treatment"/)
    await fails(['--stats', 'fixtures/ab/stats.csv', '--engine', 'duckdb'], /--engine duckdb reads a unit-level file; --stats files are analysed without it/)
    await fails(['-', '--format', 'csv', ...M, '--engine', 'duckdb'], /--engine duckdb reads files, not stdin/)
  })

  test('--html works from the engine result', async () => {
    const html = join(dir, 'ab.html')
    const r = await receval(['ab', DAYS, '--unit', 'user_id', '--day', 'day', ...M, '--engine', 'duckdb', '--html', html])
    assert.equal(r.code, 0, r.stderr)
    const page = readFileSync(html, 'utf8')
    assert.match(page, /<svg/)
    assert.match(page, /"engine":"duckdb"/)
  })
})
