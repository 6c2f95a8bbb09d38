// Issue 3 benchmark: what `--html` adds to `receval auc` on a 10M-row CSV (the same file as
// auc.bench.js). Targets (2-core machine): the report is under 2 MB and writing it adds under 1 s
// of wall time; --interactive stays under 2 MB too.
import {existsSync, statSync} from 'node:fs'
import {spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {DATA, best, receval, row} from './lib.js'
import {generate} from './gen-ctr.js'

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000)
const file = join(DATA, `ctr-${ROWS}.csv`)
if (!existsSync(file)) {
  process.stderr.write(`generating ${file} (${ROWS} rows, 1M users) ...\n`)
  await generate(ROWS, Math.max(1, Math.round(ROWS / 10)), file, 42)
}
spawnSync('cat', [file], {stdio: ['ignore', 'ignore', 'ignore']}) // warm the page cache

const runs = Number(process.env.BENCH_RUNS ?? 3)
const html = join(DATA, 'report.html')
const live = join(DATA, 'report-interactive.html')
const csv = join(DATA, 'curves.csv')
const base = ['auc', file, '--group', 'user_id', '--ci', '--thresholds', '0.05,0.1', '--json']
const results = {
  plain: best(runs, () => receval(base)),
  html: best(runs, () => receval([...base, '--html', html])),
  curves: best(runs, () => receval([...base, '--curves', csv])),
  interactive: best(runs, () => receval([...base, '--html', live, '--interactive'])),
}
for (const [k, m] of Object.entries(results)) if (m.code !== 0) throw new Error(`${k} failed (${m.code}): ${m.stderr}`)
const j = JSON.parse(results.html.stdout)
const c = j.curves.score
const size = (f) => statSync(f).size
const mb = (n) => `${(n / 1048576).toFixed(2)} MB`
console.log(`file: ${file} (${ROWS} rows), best of ${runs} runs, wall and peak RSS`)
console.log(row('receval auc --group --ci --thresholds', results.plain))
console.log(row('  + --html', results.html, `${mb(size(html))}`))
console.log(row('  + --curves', results.curves, `${mb(size(csv))}`))
console.log(row('  + --html --interactive', results.interactive, `${mb(size(live))}`))
console.log(`ROC: ${c.roc.threshold.length} of ${c.roc.exact_points} exact points drawn, max deviation ${c.roc.max_error.toPrecision(2)}; PR: ${c.pr.threshold.length} of ${c.pr.exact_points}, ${c.pr.max_error.toPrecision(2)}`)
const added = results.html.wall - results.plain.wall
const check = (label, ok, detail) => console.log(`${ok ? 'MET ' : 'MISS'} ${label}: ${detail}`)
check('--html adds < 1 s', added < 1, `${added.toFixed(2)} s`)
check('report < 2 MB', size(html) < 2 * 1048576, mb(size(html)))
check('interactive report < 2 MB', size(live) < 2 * 1048576, mb(size(live)))
check('curves thinned to <= 1000 points', c.roc.threshold.length <= 1000 && c.pr.threshold.length <= 1000, `${c.roc.threshold.length}, ${c.pr.threshold.length}`)
