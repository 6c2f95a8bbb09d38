import {test} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {receval, tempDir} from '../helpers/cli.js'
import {demoDb} from '../helpers/weekly-db.js'
import {RunStore} from '../../src/history/store.js'

const shared = tempDir()
const DEMO = demoDb(shared)

interface Weekly {
  command: string
  html: string
  tolerance: number
  since: string
  until: string
  previous_since: string
  runs: number
  previous_runs: number
  volatile_tags: string[]
  series: {key: string; runs: number; previous_runs: number; metrics: {path: string; regression: boolean; points: unknown[]}[]}[]
  regressions: {series: string; path: string}[]
  ab: {run_id: number; tags: Record<string, string>}[]
}

test('report weekly: the window, the series, the regressions and the A/B runs, as JSON and a page', () => {
  const dir = tempDir()
  const db = DEMO
  const html = join(dir, 'weekly.html')
  const r = receval(['report', 'weekly', '--db', db, '--since', '2024-05-08', '--until', '2024-05-14', '--html', html, '--json'])
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stderr, /^wrote .*weekly\.html \(\d+ bytes\)\n$/)
  const w = r.json as Weekly
  assert.equal(w.command, 'report weekly')
  assert.deepEqual([w.since, w.until, w.previous_since], ['2024-05-08T00:00:00.000Z', '2024-05-15T00:00:00.000Z', '2024-05-01T00:00:00.000Z'])
  // 7 nights x (auc main + recall) + exp on May 8, 10, 12, 14 + 2 A/B = 20;
  // before: 14 + exp on May 2, 4, 6 (the A/B run of April 29 is older than both windows)
  assert.deepEqual([w.runs, w.previous_runs], [20, 17])
  assert.deepEqual(w.volatile_tags, ['commit'])
  assert.deepEqual(w.series.map((s) => [s.key, s.previous_runs, s.runs]), [
    ['auc branch=exp/two-tower', 3, 4],
    ['auc branch=main', 7, 7],
    ['recall branch=main', 7, 7],
  ])
  // pctr_v2 fell by about 0.012 AUC on May 8 (the generator's regression); pctr did not move
  assert.deepEqual(w.regressions.map((x) => `${x.series} ${x.path}`).sort(), [
    'auc branch=main scores.pctr_v2.auc',
    'auc branch=main scores.pctr_v2.brier',
    'auc branch=main scores.pctr_v2.gauc',
    'auc branch=main scores.pctr_v2.gauc_unweighted',
    'auc branch=main scores.pctr_v2.logloss',
    'auc branch=main scores.pctr_v2.ne',
    'auc branch=main scores.pctr_v2.pr_auc',
  ])
  assert.deepEqual(w.ab.map((a) => a.tags.experiment), ['ranker-v3', 'reserve-price'])
  const page = readFileSync(html, 'utf8')
  assert.match(page, /<title>Weekly report: 2024-05-08 – 2024-05-14<\/title>/)
  assert.ok(page.includes('id="regressions"') && page.includes('id="ab-tests"') && page.includes('id="trends-auc"') && page.includes('id="trends-recall"'))
  // one chart per value that moves: auc rows, positives, negatives + 8 per score (auc, pr_auc,
  // logloss, ne, brier, calibration, gauc, gauc_unweighted) x 2; recall keys + 3 at K=50
  // (alpha, dropped_rows, gauc_groups(_skipped), keys_without_retrieval never change)
  assert.equal((page.match(/<figure class="chart/g) ?? []).length, 23)
  assert.doesNotMatch(page, /<script(?! type="application\/json")/)
})

test('report weekly without --json prints the window and the regressions; --fail-on-regression exits 1 after writing', () => {
  const dir = tempDir()
  const db = DEMO
  const html = join(dir, 'w.html')
  const r = receval(['report', 'weekly', '--db', db, '--since', '2024-05-08', '--until', '2024-05-14', '--html', html, '--tolerance', '2%', '--fail-on-regression'])
  assert.equal(r.code, 1)
  assert.ok(existsSync(html))
  assert.match(r.stdout, /^window 2024-05-08 – 2024-05-14 \(previous: 2024-05-01 – 2024-05-07\): 20 runs \(17 in the previous window\), 3 series, 2 A\/B tests\n\nregressions \(worse by more than 2%\):\n/)
  assert.match(r.stdout, /\n {2}auc branch=main {2}scores\.pctr_v2\.pr_auc +0\.20\d+ +0\.18\d+ +-\d\.\d\d%\n$/)
  assert.match(r.stderr, /receval: 1 regression \(--fail-on-regression\)\n$/)
})

test('report weekly defaults to the 7 days up to now; --by groups series by a tag', async () => {
  const dir = tempDir()
  const db = join(dir, 'now.sqlite')
  const s = await RunStore.open(db, {create: true, recevalVersion: 'test'})
  const now = Date.now()
  const run = (hoursAgo: number, model: string, auc: number) =>
    s.record({command: 'auc', argv: [], created_at: new Date(now - hoursAgo * 3_600_000).toISOString(), duration_ms: 1, receval_version: 'test', inputs: [], tags: {model, team: 'ads'}, result: {command: 'auc', scores: {p: {auc}}}})
  run(24 * 10, 'v1', 0.7) // previous window
  run(24 * 2, 'v1', 0.69)
  run(24 * 3, 'v2', 0.75)
  run(24 * 30, 'v1', 0.1) // outside both windows
  s.close()
  const r = receval(['report', 'weekly', '--db', db, '--html', join(dir, 'w.html'), '--json'])
  assert.equal(r.code, 0, r.stderr)
  const w = r.json as Weekly
  assert.equal(Date.parse(w.until) - Date.parse(w.since), 7 * 86_400_000)
  assert.ok(Math.abs(Date.parse(w.until) - now) < 60_000)
  assert.deepEqual(w.series.map((x) => [x.key, x.previous_runs, x.runs]), [['auc model=v1 team=ads', 1, 1], ['auc model=v2 team=ads', 0, 1]])
  assert.deepEqual(w.regressions.map((x) => x.series), ['auc model=v1 team=ads'])
  const by = receval(['report', 'weekly', '--db', db, '--html', join(dir, 'w.html'), '--json', '--by', 'team', '--tolerance', '50%', '--fail-on-regression'])
  assert.equal(by.code, 0, 'no regression beyond 50%: --fail-on-regression passes')
  assert.deepEqual((by.json as Weekly).series.map((x) => [x.key, x.previous_runs, x.runs]), [['auc team=ads', 1, 2]])
  const calm = receval(['report', 'weekly', '--db', db, '--html', join(dir, 'w.html'), '--tolerance', '50%'])
  assert.match(calm.stdout, /\nno regression \(worse by more than 50%\)\n$/)
})

test('report weekly on an empty window writes a page that says so', async () => {
  const dir = tempDir()
  const db = DEMO
  const html = join(dir, 'empty.html')
  const r = receval(['report', 'weekly', '--db', db, '--since', '2023-01-01', '--until', '2023-01-07', '--html', html, '--json'])
  assert.equal(r.code, 0, r.stderr)
  assert.deepEqual([(r.json as Weekly).runs, (r.json as Weekly).series], [0, []])
  assert.match(readFileSync(html, 'utf8'), /No run was recorded in the window 2023-01-01 – 2023-01-07\./)
})

test('report weekly: bad usage and a bad database are exit 2 with one line', () => {
  const dir = tempDir()
  const none = join(dir, 'none.sqlite')
  const cases: [string[], string][] = [
    [['--db', none, '--html', join(dir, 'a.html')], `receval: ${none}: no such run database (runs are recorded into it with --record --db FILE)\n`],
    [['--db', none, '--html', join(dir, 'missing-dir', 'a.html')], `receval: --html ${join(dir, 'missing-dir', 'a.html')}: the folder ${join(dir, 'missing-dir')} does not exist\n`],
    [['--db', none, '--html', join(dir, 'a.html'), '--tolerance', '0.5'], 'receval: --tolerance takes a percentage like 0.5%, not "0.5"\n'],
    [['--db', none, '--html', join(dir, 'a.html'), '--since', '2024-05-08', '--until', '2024-05-01'], 'receval: --since 2024-05-08 is not before --until 2024-05-01: the window is empty\n'],
  ]
  for (const [args, msg] of cases) {
    const r = receval(['report', 'weekly', ...args])
    assert.deepEqual([r.code, r.stderr], [2, msg], args.join(' '))
  }
  const missing = receval(['report', 'weekly', '--db', none])
  assert.equal(missing.code, 2)
  assert.match(missing.stderr, /^receval: .*Missing required flag html/)
})
