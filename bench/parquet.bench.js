// Issue 8 benchmark: a 10M-row, 3-column Parquet file (user_id BIGINT, score DOUBLE, label INTEGER;
// snappy, written by DuckDB) loads no slower than the same data as CSV. Both are read by
// `receval auc --group user_id`, which needs all three columns.
// Needs hyparquet + hyparquet-compressors where receval can load them (node_modules or NODE_PATH).
import {existsSync} from 'node:fs'
import {spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {DATA, best, duckdb, receval, row} from './lib.js'
import {generate} from './gen-ctr.js'

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000)
const src = join(DATA, `ctr-${ROWS}.csv`)
if (!existsSync(src)) await generate(ROWS, Math.max(1, Math.round(ROWS / 10)), src, 42)
const csv = join(DATA, `ctr3-${ROWS}.csv`)
const pq = join(DATA, `ctr3-${ROWS}.parquet`)
const read = `read_csv('${src}', header=true, columns={'user_id':'BIGINT','item_id':'BIGINT','score':'DOUBLE','label':'INTEGER','bid':'DOUBLE'})`
if (!existsSync(csv)) duckdb(`COPY (SELECT user_id, score, label FROM ${read}) TO '${csv}' (HEADER)`, 'parquet-csv')
if (!existsSync(pq)) duckdb(`COPY (SELECT user_id, score, label FROM ${read}) TO '${pq}' (FORMAT PARQUET, COMPRESSION snappy)`, 'parquet-pq')
for (const f of [csv, pq]) spawnSync('cat', [f], {stdio: ['ignore', 'ignore', 'ignore']})
const runs = Number(process.env.BENCH_RUNS ?? 3)
const c = best(runs, () => receval(['auc', csv, '--group', 'user_id', '--json']))
const p = best(runs, () => receval(['auc', pq, '--group', 'user_id', '--json']))
if (p.code !== 0) {
  console.log(`MISS parquet could not be read: ${p.stderr.trim()}`)
  process.exit(1)
}
const jc = JSON.parse(c.stdout).scores.score
const jp = JSON.parse(p.stdout).scores.score
console.log(`${ROWS} rows, 3 columns, best of ${runs} runs`)
console.log(row('receval auc --group user_id, CSV', c, `auc=${jc.auc}`))
console.log(row('receval auc --group user_id, Parquet (snappy)', p, `auc=${jp.auc}`))
console.log(`${p.wall <= c.wall ? 'MET ' : 'MISS'} Parquet load no slower than CSV: ${p.wall.toFixed(2)} s vs ${c.wall.toFixed(2)} s`)
console.log(`${jc.auc === jp.auc && jc.gauc === jp.gauc ? 'MET ' : 'MISS'} same result from both`)
