import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {ROOT} from './cli.js'

/** The demo run database of fixtures/gen-weekly-db.mjs (three weeks, 2024-04-24 to 2024-05-14) in `dir`. */
export function demoDb(dir: string, hostile = false): string {
  const file = join(dir, hostile ? 'hostile.sqlite' : 'demo.sqlite')
  const r = spawnSync(process.execPath, [join(ROOT, 'fixtures', 'gen-weekly-db.mjs'), file, ...(hostile ? ['--hostile'] : [])], {encoding: 'utf8'})
  assert.equal(r.status, 0, r.stderr)
  return file
}
