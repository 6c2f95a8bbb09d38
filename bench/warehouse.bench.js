// Issue 8 benchmark: the warehouse path on a 10M-row dump. DuckDB (standing in for the warehouse)
// runs the query of `receval sql auc` and exports the statistics; `receval auc --stats` merges them.
// Reported: query wall, statistics size, merge wall against `receval auc` on the rows, and that
// the results agree (exact: 1e-12 relative; bucketed: within auc_error_bound).
import {existsSync, statSync, readFileSync} from 'node:fs'
import {spawnSync, execFileSync} from 'node:child_process'
import {join} from 'node:path'
import {DATA, ROOT, best, duckdb, receval, row} from './lib.js'
import {generate} from './gen-ctr.js'

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000)
const file = join(DATA, `ctr-${ROWS}.csv`)
if (!existsSync(file)) {
  process.stderr.write(`generating ${file} (${ROWS} rows, ${ROWS / 10} users) ...\n`)
  await generate(ROWS, Math.max(1, Math.round(ROWS / 10)), file, 42)
}
spawnSync('cat', [file], {stdio: ['ignore', 'ignore', 'ignore']})
const runs = Number(process.env.BENCH_RUNS ?? 2)

const view = `CREATE VIEW preds AS SELECT * FROM read_csv('${file}', header=true, columns={'user_id':'BIGINT','item_id':'BIGINT','score':'DOUBLE','label':'INTEGER','bid':'DOUBLE'});`
const sqlOf = (args) => execFileSync(process.execPath, [join(ROOT, 'bin/run.js'), 'sql', 'auc', '--dialect', 'duckdb', '--table', 'preds', '--score', 'score', ...args], {encoding: 'utf8'})

const cases = [
  {name: 'exact', args: [], rowArgs: []},
  {name: 'exact --group user_id', args: ['--group', 'user_id'], rowArgs: ['--group', 'user_id']},
  {name: '--buckets 1000', args: ['--buckets', '1000'], rowArgs: []},
  {name: '--buckets 100000', args: ['--buckets', '100000'], rowArgs: []},
]
console.log(`file: ${file} (${ROWS} rows), best of ${runs} runs, wall and peak RSS`)
const rowLevel = {}
for (const c of cases) {
  const key = c.rowArgs.join(' ')
  rowLevel[key] ??= best(runs, () => receval(['auc', file, ...c.rowArgs, '--json']))
  const stats = join(DATA, `stats-${c.name.replace(/\W+/g, '_')}.csv`)
  const q = best(runs, () => duckdb(`${view}\nCOPY (${sqlOf(c.args)}) TO '${stats}' (HEADER);`, 'warehouse'))
  const lines = readFileSync(stats, 'utf8').split('\n').length - 2
  const m = best(runs, () => receval(['auc', '--stats', stats, '--json']))
  const got = JSON.parse(m.stdout).scores.score
  const want = JSON.parse(rowLevel[key].stdout).scores.score
  console.log(`-- ${c.name}: ${lines} stats rows, ${(statSync(stats).size / 1048576).toFixed(1)} MiB`)
  console.log(row('  duckdb: the stats query + CSV export', q))
  console.log(row('  receval auc --stats (merge)', m, `auc=${got.auc}`))
  console.log(row(`  receval auc on the rows ${key}`, rowLevel[key], `auc=${want.auc}`))
  const err = Math.abs(got.auc - want.auc)
  if (got.auc_error_bound !== undefined) console.log(`${err <= got.auc_error_bound ? 'MET ' : 'MISS'} |auc - exact| = ${err.toExponential(2)} <= auc_error_bound ${got.auc_error_bound.toExponential(2)}`)
  else console.log(`${err <= 1e-12 * want.auc ? 'MET ' : 'MISS'} exact merge equals the rows: ${got.auc} vs ${want.auc}${want.gauc !== undefined ? `; gauc ${got.gauc} vs ${want.gauc}` : ''}`)
}

// --engine duckdb: the same query run in-process over the CSV, merged by the --stats path
for (const extra of [[], ['--group', 'user_id']]) {
  const key = extra.join(' ')
  rowLevel[key] ??= best(runs, () => receval(['auc', file, ...extra, '--json']))
  const e = best(runs, () => receval(['auc', file, ...extra, '--engine', 'duckdb', '--json']))
  if (e.code !== 0) {
    console.log(`-- --engine duckdb ${key}: failed (${e.stderr.trim()})`)
    continue
  }
  const got = JSON.parse(e.stdout).scores.score
  const want = JSON.parse(rowLevel[key].stdout).scores.score
  console.log(`-- receval auc --engine duckdb ${key}`)
  console.log(row('  receval auc --engine duckdb', e, `auc=${got.auc}${got.gauc !== undefined ? ` gauc=${got.gauc}` : ''}`))
  console.log(row(`  receval auc on the rows ${key}`, rowLevel[key], `auc=${want.auc}`))
  const same = Math.abs(got.auc - want.auc) <= 1e-12 * want.auc && (want.gauc === undefined || Math.abs(got.gauc - want.gauc) <= 1e-12 * want.gauc)
  console.log(`${same ? 'MET ' : 'MISS'} --engine duckdb equals the rows`)
}
