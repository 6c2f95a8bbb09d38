// Runs every compiled test file with node's built-in test runner (its closing lines are what CI reads).
import {readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {spawnSync} from 'node:child_process'

const walk = (dir) => readdirSync(dir).flatMap((f) => {
  const p = join(dir, f)
  return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.js') ? [p] : []
})
const only = process.argv.slice(2)
const files = walk('dist/test').filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort()
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', ...files], {stdio: 'inherit'})
process.exit(r.status ?? 1)
