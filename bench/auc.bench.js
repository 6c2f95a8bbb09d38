// Issue 2 benchmark: `receval auc` on a 10M-row CSV against DuckDB's exact SQL on the same file,
// and against pandas.read_csv + scikit-learn roc_auc_score when /usr/bin/python3 has them.
// Targets (2-core machine): auc wall <= DuckDB exact-AUC SQL and <= 0.25x pandas+sklearn;
// auc --group user_id <= 0.6x DuckDB's GAUC SQL; peak RSS <= 50 bytes per row.
import {existsSync} from 'node:fs'
import {spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {DATA, best, duckdb, measure, receval, row} from './lib.js'
import {generate} from './gen-ctr.js'

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000)
const file = join(DATA, `ctr-${ROWS}.csv`)
if (!existsSync(file)) {
  process.stderr.write(`generating ${file} (${ROWS} rows, 1M users) ...\n`)
  await generate(ROWS, Math.max(1, Math.round(ROWS / 10)), file, 42)
}
spawnSync('cat', [file], {stdio: ['ignore', 'ignore', 'ignore']}) // warm the page cache for everyone

const src = `read_csv('${file}', header=true, columns={'user_id':'BIGINT','item_id':'BIGINT','score':'DOUBLE','label':'INTEGER','bid':'DOUBLE'})`
const aucSql = `WITH h AS (SELECT score, SUM(label)::DOUBLE AS pos, (COUNT(*) - SUM(label))::DOUBLE AS neg FROM ${src} GROUP BY score),
c AS (SELECT pos, neg, COALESCE(SUM(neg) OVER (ORDER BY score ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS below FROM h)
SELECT SUM(pos * (below + 0.5 * neg)) / (SUM(pos) * SUM(neg)) AS auc FROM c`
const gaucSql = `WITH h AS (SELECT user_id, score, SUM(label)::DOUBLE AS pos, (COUNT(*) - SUM(label))::DOUBLE AS neg FROM ${src} GROUP BY user_id, score),
c AS (SELECT user_id, pos, neg, COALESCE(SUM(neg) OVER (PARTITION BY user_id ORDER BY score ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS below FROM h),
g AS (SELECT user_id, SUM(pos * (below + 0.5 * neg)) AS num, SUM(pos) AS p, SUM(neg) AS n FROM c GROUP BY user_id)
SELECT SUM((p + n) * num / (p * n)) / SUM(p + n) AS gauc, AVG(num / (p * n)) AS gauc_unweighted, COUNT(*) AS groups FROM g WHERE p > 0 AND n > 0`

const runs = Number(process.env.BENCH_RUNS ?? 3)
const results = {}
results.receval_auc = best(runs, () => receval(['auc', file, '--json']))
results.duckdb_auc = best(runs, () => duckdb(aucSql, 'auc'))
results.receval_gauc = best(runs, () => receval(['auc', file, '--group', 'user_id', '--json']))
results.duckdb_gauc = best(runs, () => duckdb(gaucSql, 'gauc'))
const py = spawnSync('/usr/bin/python3', ['-c', 'import pandas, sklearn'], {encoding: 'utf8'})
if (py.status === 0) {
  results.pandas_sklearn = measure('/usr/bin/python3', ['-c', `import pandas as pd; from sklearn.metrics import roc_auc_score; d = pd.read_csv('${file}'); print(roc_auc_score(d['label'], d['score']))`])
}

const j = JSON.parse(results.receval_auc.stdout)
const jg = JSON.parse(results.receval_gauc.stdout)
const dk = JSON.parse(results.duckdb_auc.stdout)[0]
const dg = JSON.parse(results.duckdb_gauc.stdout)[0]
console.log(`file: ${file} (${ROWS} rows), best of ${runs} runs, wall and peak RSS`)
console.log(row('receval auc', results.receval_auc, `auc=${j.scores.score.auc}`))
console.log(row('duckdb exact AUC SQL (2 threads)', results.duckdb_auc, `auc=${dk.auc}`))
if (results.pandas_sklearn) console.log(row('pandas.read_csv + sklearn roc_auc_score', results.pandas_sklearn, `auc=${results.pandas_sklearn.stdout.trim()}`))
console.log(row('receval auc --group user_id', results.receval_gauc, `gauc=${jg.scores.score.gauc}`))
console.log(row('duckdb GAUC SQL (2 threads)', results.duckdb_gauc, `gauc=${dg.gauc}`))
const perRow = (m) => ((m.rssMB * 1048576) / ROWS).toFixed(1)
const check = (label, ok, detail) => console.log(`${ok ? 'MET ' : 'MISS'} ${label}: ${detail}`)
check('auc wall <= duckdb', results.receval_auc.wall <= results.duckdb_auc.wall, `${results.receval_auc.wall.toFixed(2)} s vs ${results.duckdb_auc.wall.toFixed(2)} s`)
if (results.pandas_sklearn) check('auc wall <= 0.25x pandas+sklearn', results.receval_auc.wall <= 0.25 * results.pandas_sklearn.wall, `${(results.receval_auc.wall / results.pandas_sklearn.wall).toFixed(2)}x`)
check('gauc wall <= 0.6x duckdb gauc', results.receval_gauc.wall <= 0.6 * results.duckdb_gauc.wall, `${(results.receval_gauc.wall / results.duckdb_gauc.wall).toFixed(2)}x`)
check('auc peak RSS <= 50 B/row', perRow(results.receval_auc) <= 50, `${perRow(results.receval_auc)} B/row`)
check('auc --group peak RSS <= 50 B/row', perRow(results.receval_gauc) <= 50, `${perRow(results.receval_gauc)} B/row`)
check('same AUC as DuckDB', Math.abs(j.scores.score.auc - dk.auc) < 1e-12, `${j.scores.score.auc} vs ${dk.auc}`)
check('same GAUC as DuckDB', Math.abs(jg.scores.score.gauc - dg.gauc) < 1e-9, `${jg.scores.score.gauc} vs ${dg.gauc}`)
