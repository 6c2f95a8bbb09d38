import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync, writeFileSync, truncateSync, statSync, mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT, tempDir} from '../helpers/cli.js'
import {sqlite} from '../helpers/db.js'
import {NewRun, RunStore} from '../../src/history/store.js'
import {APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION} from '../../src/history/schema.js'

const run = (over: Partial<NewRun> = {}): NewRun => ({
  command: 'auc',
  argv: ['preds.csv', '--record'],
  cwd: '/work',
  created_at: '2024-05-01T12:00:00.000Z',
  duration_ms: 12.5,
  receval_version: '0.1.0',
  inputs: [{path: 'preds.csv', format: 'csv', bytes: 100, mtime: '2024-05-01T11:00:00.000Z', sha256: 'a'.repeat(64)}],
  tags: {branch: 'main', model: 'v1'},
  result: {command: 'auc', scores: {pctr: {auc: 0.7}}},
  ...over,
})

const open = (file: string, create = true) => RunStore.open(file, {create, recevalVersion: '0.1.0'})
const schemaOf = (file: string) => {
  const db = sqlite(file)
  try {
    // whitespace aside: the fixture's CREATE TABLE is indented differently from the migration's
    return (db.prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as {sql: string}[]).map((r) => ({...r, sql: r.sql.replace(/\s+/g, ' ')}))
  } finally {
    db.close()
  }
}

test('RunStore.open creates a WAL-mode database at the current schema, marked as receval', async () => {
  const file = join(tempDir(), 'sub', 'dir', 'runs.sqlite')
  const store = await open(file)
  assert.equal(store.schemaVersion, SCHEMA_VERSION)
  store.close()
  const db = sqlite(file)
  assert.equal(db.pragma('journal_mode', {simple: true}), 'wal')
  assert.equal(db.pragma('application_id', {simple: true}), APPLICATION_ID)
  assert.equal(db.pragma('user_version', {simple: true}), MIGRATIONS.length)
  assert.deepEqual(db.prepare('SELECT key FROM meta ORDER BY key').pluck().all(), ['created_by', 'upgraded_by', 'upgraded_from_0_at'])
  db.close()
})

test('record then get returns every field as stored', async () => {
  const store = await open(join(tempDir(), 'r.sqlite'))
  const id = store.record(run())
  assert.equal(id, 1)
  assert.deepEqual(store.get(1), {
    id: 1,
    command: 'auc',
    created_at: '2024-05-01T12:00:00.000Z',
    duration_ms: 12.5,
    receval_version: '0.1.0',
    tags: {branch: 'main', model: 'v1'},
    argv: ['preds.csv', '--record'],
    cwd: '/work',
    inputs: [{path: 'preds.csv', format: 'csv', bytes: 100, mtime: '2024-05-01T11:00:00.000Z', sha256: 'a'.repeat(64)}],
    result: {command: 'auc', scores: {pctr: {auc: 0.7}}},
  })
  assert.equal(store.get(2), undefined)
  store.close()
})

test('list filters by tags (all must match), command and time window, newest first', async () => {
  const store = await open(join(tempDir(), 'l.sqlite'))
  store.record(run({created_at: '2024-05-01T00:00:00.000Z', tags: {branch: 'main', model: 'v1'}}))
  store.record(run({created_at: '2024-05-02T00:00:00.000Z', tags: {branch: 'main', model: 'v2'}}))
  store.record(run({created_at: '2024-05-03T00:00:00.000Z', tags: {branch: 'feat', model: 'v2'}, command: 'recall'}))
  store.record(run({created_at: '2024-05-03T00:00:00.000Z', tags: {}}))
  const ids = (f: Parameters<RunStore['list']>[0]) => store.list(f).map((r) => r.id)
  assert.deepEqual(ids({}), [4, 3, 2, 1], 'same start time: the later id first')
  assert.deepEqual(ids({tags: {branch: 'main'}}), [2, 1])
  assert.deepEqual(ids({tags: {branch: 'main', model: 'v2'}}), [2])
  assert.deepEqual(ids({tags: {model: 'v2'}, command: 'auc'}), [2])
  assert.deepEqual(ids({command: 'recall'}), [3])
  assert.deepEqual(ids({since: '2024-05-02T00:00:00.000Z'}), [4, 3, 2], 'since is inclusive')
  assert.deepEqual(ids({until: '2024-05-02T00:00:00.000Z'}), [1], 'until is exclusive')
  assert.deepEqual(ids({limit: 2}), [4, 3])
  assert.deepEqual(ids({order: 'oldest', limit: 2}), [1, 2])
  assert.deepEqual(ids({tags: {branch: 'nope'}}), [])
  assert.equal(store.count({tags: {branch: 'main'}, limit: 1}), 2)
  assert.deepEqual(store.list({limit: 1})[0].tags, {})
  assert.deepEqual(store.listWithResults({tags: {model: 'v2'}}).map((r) => [r.id, r.result.command]), [[2, 'auc'], [3, 'auc']])
  store.close()
})

test('a run with many tags and inputs is written whole, in one transaction', async () => {
  const store = await open(join(tempDir(), 't.sqlite'))
  const tags = Object.fromEntries(Array.from({length: 50}, (_, i) => [`k${i}`, `v${i}`]))
  const inputs = Array.from({length: 20}, (_, i) => ({path: `f${i}.csv`}))
  store.record(run({tags, inputs}))
  // a write that throws halfway through (a bad second input) leaves nothing behind
  assert.throws(() => store.record(run({inputs: [{path: 'a'}, null as unknown as {path: string}]})))
  const got = store.get(1)
  assert.equal(Object.keys(got?.tags ?? {}).length, 50)
  assert.equal(got?.inputs.length, 20)
  assert.deepEqual(store.list().map((r) => r.id), [1])
  store.close()
})

test('an old-schema database (version 1, hand-written SQL) opens and upgrades without losing anything', async () => {
  const dir = tempDir()
  const file = join(dir, 'old.sqlite')
  const db = sqlite(file)
  db.exec(readFileSync(join(ROOT, 'fixtures/history/schema-v1.sql'), 'utf8'))
  db.close()

  const store = await open(file, false)
  assert.equal(store.schemaVersion, SCHEMA_VERSION)
  assert.deepEqual(store.list().map((r) => [r.id, r.command, r.tags]), [
    [3, 'recall', {}],
    [2, 'auc', {branch: 'main', model: 'v1'}],
    [1, 'auc', {branch: 'main', model: 'v1'}],
  ])
  const r3 = store.get(3)
  assert.deepEqual(r3?.inputs, [
    {path: 'r.csv', bytes: 100, sha256: '3'.repeat(64)},
    {path: 't.csv', bytes: 50, sha256: '4'.repeat(64)},
  ])
  assert.equal(r3?.cwd, null)
  assert.deepEqual(store.get(1)?.result.scores, {pctr: {auc: 0.7518631, pr_auc: 0.4009613}})
  assert.deepEqual(store.list({tags: {model: 'v1'}, command: 'auc', limit: 1}).map((r) => r.id), [2])
  // new runs continue the id sequence
  assert.equal(store.record(run()), 4)
  assert.equal(store.integrityCheck(), 'ok')
  store.close()

  // the upgraded schema is exactly what a fresh database gets
  const fresh = join(dir, 'fresh.sqlite')
  ;(await open(fresh)).close()
  assert.deepEqual(schemaOf(file), schemaOf(fresh))
  const meta = sqlite(file)
  assert.deepEqual(meta.prepare("SELECT key FROM meta WHERE key LIKE 'upgraded_from%'").pluck().all(), ['upgraded_from_1_at'])
  meta.close()
})

test('a database from a newer receval (schema above ours) is refused, naming both versions', async () => {
  const file = join(tempDir(), 'new.sqlite')
  ;(await open(file)).close()
  const db = sqlite(file)
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`)
  db.prepare("UPDATE meta SET value = '9.0.0' WHERE key = 'upgraded_by'").run()
  db.close()
  await assert.rejects(open(file), {
    name: 'InputError',
    message: `${file}: run database schema version ${SCHEMA_VERSION + 1} (last upgraded by receval 9.0.0) is newer than this receval understands (up to ${SCHEMA_VERSION}); upgrade receval to use this file`,
  })
  // and it is left untouched
  const after = sqlite(file)
  assert.equal(after.pragma('user_version', {simple: true}), SCHEMA_VERSION + 1)
  after.close()
})

test('a missing database is an error for readers, created for writers', async () => {
  const dir = tempDir()
  await assert.rejects(open(join(dir, 'none.sqlite'), false), {message: `${join(dir, 'none.sqlite')}: no such run database (runs are recorded into it with --record --db FILE)`})
  mkdirSync(join(dir, 'adir'))
  await assert.rejects(open(join(dir, 'adir')), /is a directory, not a run database/)
})

test('a file that is not SQLite, or a damaged database, is a clear error', async () => {
  const dir = tempDir()
  const junk = join(dir, 'junk.sqlite')
  writeFileSync(junk, 'this is not a database\n'.repeat(100))
  await assert.rejects(open(junk, false), {message: `${junk}: not a run database: the file is not SQLite, or is encrypted or damaged (file is not a database)`})

  // a real store cut in half: the header survives, the pages do not
  const cut = join(dir, 'cut.sqlite')
  const s = await open(cut)
  for (let i = 0; i < 200; i++) s.record(run({result: {pad: 'x'.repeat(2000), i}}))
  s.close()
  truncateSync(cut, Math.floor(statSync(cut).size / 2))
  await assert.rejects(
    (async () => {
      const st = await open(cut, false)
      try {
        st.list()
        st.get(150)
        if (st.integrityCheck() !== 'ok') throw new Error('integrity_check failed')
      } finally {
        st.close()
      }
    })(),
    (e: Error) => /damaged|malformed|integrity_check failed/.test(e.message),
  )
})

test('an SQLite database of another application is refused', async () => {
  const file = join(tempDir(), 'other.sqlite')
  const db = sqlite(file)
  db.exec('CREATE TABLE customers (id INTEGER); CREATE TABLE orders (id INTEGER)')
  db.close()
  await assert.rejects(open(file, false), {message: `${file}: is an SQLite database but not a receval run database (its tables: customers, orders)`})
})

test('an empty file is a fresh database', async () => {
  const file = join(tempDir(), 'empty.sqlite')
  writeFileSync(file, '')
  const store = await open(file, false)
  assert.deepEqual(store.list(), [])
  store.close()
})

test('a stored result that is not JSON (edited by hand) is reported with the run id', async () => {
  const file = join(tempDir(), 'edited.sqlite')
  const s = await open(file)
  s.record(run())
  s.close()
  const db = sqlite(file)
  db.prepare("UPDATE runs SET result = '{oops' WHERE id = 1").run()
  db.close()
  const s2 = await open(file, false)
  assert.throws(() => s2.get(1), {message: `${file}: run 1: the stored result is not valid JSON (the database was edited or damaged)`})
  s2.close()
})
