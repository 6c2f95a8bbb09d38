import {test} from 'node:test'
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {readFileSync, statSync, existsSync} from 'node:fs'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'
import {receval, ROOT, tempDir, writeFile} from '../helpers/cli.js'
import {runsIn, sqlite} from '../helpers/db.js'

const PREDS = 'fixtures/history/preds-a.csv'

test('auc --record stores command, arguments, input fingerprint, tags, timing, version and the exact --json result', () => {
  const db = join(tempDir(), 'h.sqlite')
  const args = ['auc', PREDS, '--score', 'pctr', '--ci', '--record', '--db', db, '--tag', 'model=v1', '--tag', 'branch=main', '--json']
  const before = Date.now()
  const r = receval(args)
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stderr.trim(), `recorded run 1 in ${db}`)
  const shown = receval(['runs', 'show', '1', '--db', db, '--json'])
  assert.equal(shown.code, 0, shown.stderr)
  const run = shown.json as Record<string, unknown>
  assert.deepEqual(run.result, r.json)
  assert.equal(run.command, 'auc')
  assert.deepEqual(run.argv, args.slice(1))
  assert.equal(run.cwd, ROOT)
  assert.deepEqual(run.tags, {branch: 'main', model: 'v1'})
  assert.equal(run.receval_version, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version)
  const started = Date.parse(run.created_at as string)
  assert.ok(started >= before - 1000 && started <= Date.now(), `created_at ${run.created_at}`)
  assert.ok((run.duration_ms as number) > 0 && (run.duration_ms as number) < 60_000)
  const bytes = readFileSync(join(ROOT, PREDS))
  assert.deepEqual(run.inputs, [
    {path: PREDS, format: 'csv', bytes: bytes.length, mtime: statSync(join(ROOT, PREDS)).mtime.toISOString(), sha256: createHash('sha256').update(bytes).digest('hex')},
  ])
})

test('--record hashes the raw bytes of a gzipped input and of stdin', () => {
  const dir = tempDir()
  const db = join(dir, 'h.sqlite')
  const gz = gzipSync(readFileSync(join(ROOT, PREDS)))
  const file = writeFile(dir, 'preds.csv.gz', gz)
  assert.equal(receval(['auc', file, '--score', 'pctr', '--record', '--db', db]).code, 0)
  const csv = readFileSync(join(ROOT, PREDS))
  assert.equal(receval(['auc', '-', '--format', 'csv', '--score', 'pctr', '--record', '--db', db], {input: csv}).code, 0)
  const one = receval(['runs', 'show', '1', '--db', db, '--json']).json as {inputs: {sha256: string; bytes: number}[]}
  const two = receval(['runs', 'show', '2', '--db', db, '--json']).json as {inputs: {path: string; sha256: string; mtime?: string}[]}
  assert.equal(one.inputs[0].sha256, createHash('sha256').update(gz).digest('hex'))
  assert.equal(one.inputs[0].bytes, gz.length)
  assert.equal(two.inputs[0].path, '-')
  assert.equal(two.inputs[0].sha256, createHash('sha256').update(csv).digest('hex'))
  assert.equal(two.inputs[0].mtime, undefined)
})

test('--db falls back to $RECEVAL_DB, then ./receval.sqlite in the working directory', () => {
  const dir = tempDir()
  const env = join(dir, 'env.sqlite')
  assert.equal(receval(['auc', join(ROOT, PREDS), '--score', 'pctr', '--record'], {env: {RECEVAL_DB: env}}).code, 0)
  assert.equal(runsIn(env).length, 1)
  const r = receval(['auc', join(ROOT, PREDS), '--score', 'pctr', '--record'], {cwd: dir, env: {RECEVAL_DB: ''}})
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stderr.trim(), 'recorded run 1 in receval.sqlite')
  assert.ok(existsSync(join(dir, 'receval.sqlite')))
})

test('a run that fails is not recorded', () => {
  const dir = tempDir()
  const db = join(dir, 'h.sqlite')
  const bad = writeFile(dir, 'bad.csv', 'label,score\n1,0.5\n2,0.3\n')
  const r = receval(['auc', bad, '--record', '--db', db])
  assert.equal(r.code, 2)
  assert.equal(runsIn(db).length, 0)
})

test('--tag without --record is a usage error, and so is a key given twice', () => {
  const t = receval(['auc', PREDS, '--tag', 'a=1'])
  assert.deepEqual([t.code, t.stderr], [2, 'receval: --tag only applies with --record\n'])
  const twice = receval(['auc', PREDS, '--record', '--db', join(tempDir(), 'x.sqlite'), '--tag', 'a=1', '--tag', 'a=2'])
  assert.deepEqual([twice.code, twice.stderr], [2, 'receval: --tag a is given twice ("1" and "2")\n'])
})

test('recording into a corrupt file, a newer schema or another application database fails with exit 2, before any work', () => {
  const dir = tempDir()
  const junk = writeFile(dir, 'junk.sqlite', 'not sqlite at all '.repeat(300))
  const j = receval(['auc', PREDS, '--record', '--db', junk])
  assert.equal(j.code, 2)
  assert.equal(j.stdout, '', 'no table printed: the database was checked first')
  assert.equal(j.stderr, `receval: ${junk}: not a run database: the file is not SQLite, or is encrypted or damaged (file is not a database)\n`)

  const newer = join(dir, 'newer.sqlite')
  assert.equal(receval(['auc', PREDS, '--record', '--db', newer]).code, 0)
  const db = sqlite(newer)
  db.pragma('user_version = 99')
  db.close()
  const n = receval(['auc', PREDS, '--record', '--db', newer, '--json'])
  assert.equal(n.code, 2)
  assert.deepEqual(n.json, {error: {message: `${newer}: run database schema version 99 (last upgraded by receval 0.1.0) is newer than this receval understands (up to 2); upgrade receval to use this file`, code: 'INPUT_ERROR', exitCode: 2, file: newer}})
  assert.equal(runsIn(newer).length, 1)

  const other = join(dir, 'other.sqlite')
  const o = sqlite(other)
  o.exec('CREATE TABLE t (x)')
  o.close()
  const r = receval(['auc', PREDS, '--record', '--db', other])
  assert.deepEqual([r.code, r.stderr], [2, `receval: ${other}: is an SQLite database but not a receval run database (its tables: t)\n`])
})

test('without --record, nothing is hashed or written, and SQLite is not loaded', () => {
  const dir = tempDir()
  const r = receval(['auc', join(ROOT, PREDS), '--score', 'pctr', '--json'], {cwd: dir, env: {NODE_DEBUG: 'module'}})
  assert.equal(r.code, 0)
  assert.ok(!existsSync(join(dir, 'receval.sqlite')))
  assert.ok(!/better-sqlite3|better_sqlite3/.test(r.stderr), 'better-sqlite3 was loaded')
})
