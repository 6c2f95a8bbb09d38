import assert from 'node:assert/strict'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT} from './cli.js'

// Golden SQL files (test/golden/sql): a change of a template shows as a diff of its golden files.
// UPDATE_GOLDEN=1 rewrites them (review the diff before committing).
const GOLDEN = join(ROOT, 'test', 'golden', 'sql')
const update = process.env.UPDATE_GOLDEN === '1'

/** `sql` equals test/golden/sql/`name`; a missing file is written and the test fails to say so. */
export function golden(name: string, sql: string): void {
  const file = join(GOLDEN, name)
  if (update || !existsSync(file)) {
    mkdirSync(GOLDEN, {recursive: true})
    writeFileSync(file, sql)
    if (!update) assert.fail(`${name}: no golden file yet; wrote it, review it and commit`)
    return
  }
  const want = readFileSync(file, 'utf8')
  if (sql === want) return
  const a = sql.split('\n')
  const b = want.split('\n')
  const i = a.findIndex((l, k) => l !== b[k])
  assert.fail(`${name} differs from the golden file at line ${i + 1}:\n  got:  ${a[i]}\n  want: ${b[i]}\n(UPDATE_GOLDEN=1 rewrites the golden files)`)
}

/** The SQL text with string literals and quoted identifiers blanked, for checks on the code around them. */
export function code(sql: string): string {
  return sql.replace(/'[^']*'/g, "''").replace(/`[^`]*`/g, '``').replace(/"[^"]*"/g, '""')
}

/** The text of golden file `name` (what a command must print). */
export function goldenText(name: string): string {
  return readFileSync(join(GOLDEN, name), 'utf8')
}
