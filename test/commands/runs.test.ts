import {test} from 'node:test'
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {receval, tempDir, writeFile} from '../helpers/cli.js'
import {NewRun, RunStore} from '../../src/history/store.js'

const run = (created_at: string, command: string, tags: Record<string, string>, result: Record<string, unknown>): NewRun => ({
  command,
  argv: ['x.csv', '--record'],
  cwd: '/ci',
  created_at,
  duration_ms: 1500,
  receval_version: '0.1.0',
  inputs: [{path: 'x.csv', format: 'csv', bytes: 10, sha256: 'c'.repeat(64)}],
  tags,
  result: {command, ...result},
})

/** A database with five runs over three days (made through the store, so times are fixed). */
async function fixtureDb(): Promise<string> {
  const file = join(tempDir(), 'runs.sqlite')
  const s = await RunStore.open(file, {create: true, recevalVersion: '0.1.0'})
  s.record(run('2024-05-01T08:00:00.000Z', 'auc', {branch: 'main', model: 'v1'}, {rows: 100, scores: {pctr: {auc: 0.7, logloss: 0.3}}}))
  s.record(run('2024-05-02T08:00:00.000Z', 'auc', {branch: 'main', model: 'v2'}, {rows: 100, scores: {pctr: {auc: 0.72, logloss: 0.3}, extra: {auc: 0.6}}}))
  s.record(run('2024-05-02T09:00:00.000Z', 'recall', {branch: 'main'}, {keys: 10, at: {'50': {click_recall: 0.4}}}))
  s.record(run('2024-05-03T08:00:00.000Z', 'auc', {branch: 'feat', model: 'v2'}, {rows: 120, scores: {pctr: {auc: 0.71, logloss: 0.31}}}))
  s.record(run('2024-05-03T23:59:59.999Z', 'auc', {}, {rows: 1, scores: {}}))
  s.close()
  return file
}

const ids = (db: string, args: string[]) => {
  const r = receval(['runs', 'list', '--db', db, '--json', ...args])
  assert.equal(r.code, 0, r.stderr)
  return (r.json as {runs: {id: number}[]}).runs.map((x) => x.id)
}

test('runs list: newest first, in the spec shape, with filters by tag, command and time', async () => {
  const db = await fixtureDb()
  const all = receval(['runs', 'list', '--db', db, '--json'])
  assert.deepEqual((all.json as {runs: unknown[]}).runs[3], {id: 2, command: 'auc', created_at: '2024-05-02T08:00:00.000Z', duration_ms: 1500, receval_version: '0.1.0', tags: {branch: 'main', model: 'v2'}})
  assert.equal((all.json as {total: number}).total, 5)
  assert.deepEqual((all.json as {runs: {id: number}[]}).runs.map((x) => x.id), [5, 4, 3, 2, 1])
  assert.deepEqual(ids(db, ['--tag', 'branch=main', '--tag', 'model=v2']), [2])
  assert.deepEqual(ids(db, ['--command', 'auc', '--tag', 'model=v2']), [4, 2])
  assert.deepEqual(ids(db, ['--since', '2024-05-02', '--until', '2024-05-02']), [3, 2], 'a plain --until date includes that day')
  assert.deepEqual(ids(db, ['--until', '2024-05-03T23:59:59.999Z']), [4, 3, 2, 1], '--until a time is exclusive')
})

test('runs list --limit keeps the newest and reports the total; the table names the cut', async () => {
  const db = await fixtureDb()
  const r = receval(['runs', 'list', '--db', db, '--json', '--limit', '2'])
  assert.deepEqual([(r.json as {runs: {id: number}[]}).runs.map((x) => x.id), (r.json as {total: number}).total], [[5, 4], 5])
  const t = receval(['runs', 'list', '--db', db, '--limit', '2'])
  assert.equal(t.code, 0)
  assert.equal(
    t.stdout,
    [
      'id  started (UTC)         command  duration  tags',
      '--  --------------------  -------  --------  ---------------------',
      '5   2024-05-03 23:59:59Z  auc      1.5 s',
      '4   2024-05-03 08:00:00Z  auc      1.5 s     branch=feat, model=v2',
      '',
    ].join('\n'),
  )
  assert.equal(t.stderr, 'showing the newest 2 of 5 runs (--limit 0 shows all)\n')
})

test('runs list: bad filters and a missing database are exit 2', async () => {
  const db = await fixtureDb()
  const cases: [string[], string][] = [
    [['--since', 'yesterday-ish'], 'receval: --since takes a date (2024-05-01), a time (2024-05-01T12:00:00Z) or an age (7d, 12h, 30m, 2w), not "yesterday-ish"\n'],
  ]
  for (const [args, msg] of cases) {
    const r = receval(['runs', 'list', '--db', db, ...args])
    assert.deepEqual([r.code, r.stderr], [2, msg])
  }
  const none = join(tempDir(), 'none.sqlite')
  const r = receval(['runs', 'list', '--json'], {env: {RECEVAL_DB: none}})
  assert.equal(r.code, 2)
  assert.deepEqual(r.json, {error: {message: `${none}: no such run database (runs are recorded into it with --record --db FILE)`, code: 'INPUT_ERROR', exitCode: 2, file: none}})
})

test('runs show: the whole stored run, by id, run:ID or tag:', async () => {
  const db = await fixtureDb()
  const r = receval(['runs', 'show', '2', '--db', db, '--json'])
  assert.equal(r.code, 0, r.stderr)
  assert.deepEqual(r.json, {
    id: 2,
    command: 'auc',
    created_at: '2024-05-02T08:00:00.000Z',
    duration_ms: 1500,
    receval_version: '0.1.0',
    tags: {branch: 'main', model: 'v2'},
    argv: ['x.csv', '--record'],
    cwd: '/ci',
    inputs: [{path: 'x.csv', format: 'csv', bytes: 10, sha256: 'c'.repeat(64)}],
    result: {command: 'auc', rows: 100, scores: {pctr: {auc: 0.72, logloss: 0.3}, extra: {auc: 0.6}}},
  })
  assert.equal((receval(['runs', 'show', 'tag:model=v2', '--db', db, '--json']).json as {id: number}).id, 4)
  const t = receval(['runs', 'show', 'run:2', '--db', db])
  assert.match(t.stdout, /^run 2: receval auc, started 2024-05-02 08:00:00Z, took 1\.5 s, receval 0\.1\.0\narguments: x\.csv --record\ndirectory: \/ci\ntags: branch=main, model=v2\n/)
  assert.match(t.stdout, /\n {2}scores\.pctr\.auc +0\.72\n/)
  const missing = receval(['runs', 'show', '99', '--db', db])
  assert.deepEqual([missing.code, missing.stderr], [2, `receval: ${db}: RUN run:99: there is no run 99 (runs go up to 5; see receval runs list)\n`])
  const notRun = receval(['runs', 'show', 'x.json', '--db', db])
  assert.deepEqual([notRun.code, notRun.stderr], [2, 'receval: RUN takes a run id (12, run:12) or tag:KEY=VALUE, not "x.json"\n'])
})

test('runs diff: every value that changed, what appeared and what went', async () => {
  const db = await fixtureDb()
  const r = receval(['runs', 'diff', '1', '2', '--db', db, '--json'])
  assert.equal(r.code, 0, r.stderr)
  const d = r.json as Record<string, unknown>
  assert.equal(d.command, 'runs diff')
  assert.deepEqual(d.changed, [{path: 'scores.pctr.auc', a: 0.7, b: 0.72, delta: 0.72 - 0.7, relative: (0.72 - 0.7) / 0.7}])
  assert.deepEqual(d.added, [{path: 'scores.extra.auc', value: 0.6}])
  assert.deepEqual(d.removed, [])
  assert.equal(d.unchanged, 3)
  assert.deepEqual(d.a, {ref: 'run:1', label: 'run 1', command: 'auc', run_id: 1, created_at: '2024-05-01T08:00:00.000Z', tags: {branch: 'main', model: 'v1'}})
  const t = receval(['runs', 'diff', 'tag:model=v1', 'tag:model=v2', '--db', db])
  assert.equal(t.code, 0)
  assert.match(t.stdout, /^a: run 1 \(tag:model=v1\), 2024-05-01 08:00:00Z\nb: run 4 \(tag:model=v2\), 2024-05-03 08:00:00Z\n\n/)
  assert.match(t.stdout, /\nrows +100 +120 +20 {2}\+20%\nscores\.pctr\.auc +0\.700000 +0\.710000 +0\.010000 {2}\+1\.43%\n/)
  assert.match(t.stdout, /\n3 changed, 1 equal\n$/)
  // a JSON file on one side works too, and different commands are refused
  const file = writeFile(tempDir(), 'r.json', JSON.stringify({command: 'auc', rows: 100, scores: {pctr: {auc: 0.7, logloss: 0.3}}}))
  assert.deepEqual((receval(['runs', 'diff', '1', file, '--db', db, '--json']).json as {changed: unknown[]}).changed, [])
  const mixed = receval(['runs', 'diff', '1', '3', '--db', db])
  assert.deepEqual([mixed.code, mixed.stderr], [2, 'receval: cannot compare results of different commands: the first result (run 1) is "auc", the second result (run 3) is "recall"\n'])
})
