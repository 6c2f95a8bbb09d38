import {test} from 'node:test'
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {csvOf, receval, tempDir, writeFile} from '../helpers/cli.js'

// `receval recall` on bad input, through the real CLI: exit 2 and one line naming the file, the
// 1-based line and the column where the problem is (or the flag). Split from recall.test.ts so
// the test runner's two workers share the process start-ups.

const F = (name: string) => join('fixtures', 'recall', name)

// ---- bad input: exit 2, one line naming what is wrong (and where) ----

function fails(args: string[], pattern: RegExp, input?: string): void {
  const r = receval(['recall', ...args], {input})
  assert.equal(r.code, 2, `exit ${r.code} for ${args.join(' ')}: ${r.stdout}${r.stderr}`)
  assert.equal(r.stdout, '')
  const lines = r.stderr.trimEnd().split('\n')
  assert.equal(lines.length, 1, `one line: ${r.stderr}`)
  assert.match(lines[0], /^receval: /)
  assert.match(lines[0], pattern)
}

test('recall bad input: K that is not a positive integer', () => {
  const a = ['--retrieved', F('retrieved.csv'), '--truth', F('clicks.csv')]
  fails([...a, '-k', '0'], /-k takes comma-separated positive integers .* "0" is not one/)
  fails([...a, '-k', '10,abc'], /"abc" is not one/)
  fails([...a, '-k', '2.5'], /"2\.5" is not one/)
  fails([...a, '-k', '10,,50'], /"" is not one/)
  fails([...a, '--k=-3'], /"-3" is not one/)
})

test('recall bad input: truth and retrieved share no key (names the file and the key column)', () => {
  const d = tempDir()
  const t = writeFile(d, 't.csv', csvOf({user_id: ['u1', 'u2'], item_id: [1, 2]}))
  const r = writeFile(d, 'r.csv', csvOf({user_id: [1, 2], item_id: [1, 2]}))
  fails(['--retrieved', r, '--truth', t], new RegExp(`${r.replace(/[.]/g, '\\.')}: column "user_id": shares no key with the truth file .*t\\.csv \\(retrieved keys look like "1", "2"; truth keys like "u1", "u2"\\)`))
})

test('recall bad input: files, columns and values name file, line and column', () => {
  const d = tempDir()
  const t = writeFile(d, 't.csv', 'user_id,item_id,bid\n1,2,1\n1,3,-2\n')
  const r = writeFile(d, 'r.csv', 'user_id,item_id,score\n1,2,0.5\n1,3,high\n')
  const ok = writeFile(d, 'ok.csv', 'user_id,item_id,score\n1,2,0.5\n')
  const okT = writeFile(d, 'okt.csv', 'user_id,item_id\n1,2\n')
  fails(['--retrieved', r, '--truth', okT, '--score', 'score'], new RegExp(`r\\.csv:3: column "score": "high" is not a number`))
  fails(['--retrieved', ok, '--truth', t], /t\.csv:3: column "bid": -2 is negative/)
  // the truth is read first
  fails(['--retrieved', ok, '--truth', okT, '--by', 'uid'], /okt\.csv: no column "uid" \(--by\); the file has columns: "user_id", "item_id"$/)
  fails(['--retrieved', ok, '--truth', okT, '--score', 'pctr'], /no column "pctr" \(--score\)/)
  fails(['--retrieved', writeFile(d, 'noitem.csv', 'user_id,ad\n1,2\n'), '--truth', okT], /noitem\.csv: no item column: tried item_id, item, ad_id \(name it with --item\)/)
  fails(['--retrieved', ok, '--truth', writeFile(d, 'empty.csv', '')], /empty\.csv: file is empty/)
  fails(['--retrieved', writeFile(d, 'h.csv', 'user_id,item_id\n'), '--truth', okT], /h\.csv: no data rows/)
  fails(['--retrieved', writeFile(d, 'short.csv', 'user_id,item_id,score\n1,2,0.5\n1\n'), '--truth', okT], /short\.csv:3: row has 1 field/)
  fails(['--retrieved', join(d, 'missing.csv'), '--truth', okT], /missing\.csv/)
  fails([writeFile(d, 'dl.csv', 'user_id,item_id,score,label\n1,2,0.5,maybe\n')], /dl\.csv:2: column "label": "maybe" is not a label/)
  fails([writeFile(d, 'd0.csv', 'user_id,item_id,score,label\n1,2,0.5,0\n')], /d0\.csv: no row has label = 1/)
  fails(['--retrieved', ok, '--truth', okT, '--segment', 'bucket'], /okt\.csv: no column "bucket" \(--segment\)/)
})

test('recall bad input: flags that do not fit together', () => {
  const a = ['--retrieved', F('retrieved.csv'), '--truth', F('clicks.csv')]
  fails([], /give --retrieved FILE and --truth FILE, or one prediction dump FILE/)
  fails(['--retrieved', F('retrieved.csv')], /--retrieved needs --truth FILE/)
  fails(['--truth', F('clicks.csv')], /--truth needs --retrieved FILE/)
  fails([F('dump.csv'), ...a], /either one prediction dump FILE .* or --retrieved and --truth, not both/)
  fails([...a, '--rank', 'r', '--score', 's'], /give --rank or --score, not both/)
  fails([...a, '--items', 'items', '--score', 'score'], /--items lists are in rank order already/)
  fails([...a, '--truth-rank', 'r'], /add --truth-top/)
  fails([...a, '--label', 'click'], /--label applies to single-dump mode/)
  fails([F('dump.csv'), '--truth-top'], /--truth-top and --truth-items need a truth file/)
  fails([...a, '--bootstrap', '0'], /--bootstrap must be an integer >= 2, not "0"/)
  fails([...a, '--seed', '-1'], /--seed must be an integer >= 0, not "-1"/)
  fails([...a, '--alpha', '2'], /--alpha must be between 0 and 1, not "2"/)
  fails([...a, '--sep', ''], /--sep needs at least one separator character/)
  // oclif's own message for an unknown flag adds a help hint line; still exit 2
  const r = receval(['recall', ...a, '--nope'])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /^receval: Nonexistent flag: --nope/)
})

test('recall bad input with --json: the error object on stdout, exit 2', () => {
  const r = receval(['recall', '--retrieved', F('retrieved.csv'), '--truth', F('clicks.csv'), '-k', '0', '--json'])
  assert.equal(r.code, 2)
  const e = (r.json as {error: {code: string; message: string; exitCode: number}}).error
  assert.equal(e.code, 'USAGE_ERROR')
  assert.equal(e.exitCode, 2)
  assert.match(e.message, /"0" is not one/)
  const d = tempDir()
  const bad = receval(['recall', '--retrieved', writeFile(d, 'r.csv', 'user_id,item_id,score\n1,2,x\n'), '--truth', F('clicks.csv'), '--score', 'score', '--json'])
  assert.equal(bad.code, 2)
  const b = (bad.json as {error: {file: string; line: number; column: string}}).error
  assert.deepEqual([b.file.endsWith('r.csv'), b.line, b.column], [true, 2, 'score'])
})

test('recall --help says ties keep file order', () => {
  const r = receval(['recall', '--help'])
  assert.equal(r.code, 0)
  assert.match(r.stdout, /stable: rows with equal rank or score keep their file order/)
  assert.match(r.stdout, /--truth-top/)
})
