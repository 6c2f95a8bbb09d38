// npm run bench [name ...]: runs bench/<name>.bench.js (all of them when no name is given).
import {readdirSync} from 'node:fs'
import {spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {BENCH} from './lib.js'

const wanted = process.argv.slice(2)
const all = readdirSync(BENCH).filter((f) => f.endsWith('.bench.js')).sort()
let failed = 0
for (const f of all) {
  if (wanted.length && !wanted.some((w) => f.startsWith(w))) continue
  console.log(`\n== ${f}`)
  const r = spawnSync(process.execPath, [join(BENCH, f)], {stdio: 'inherit'})
  if (r.status !== 0) failed++
}
process.exit(failed ? 1 : 0)
