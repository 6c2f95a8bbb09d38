import {test} from 'node:test'
import assert from 'node:assert/strict'
import {weeklySummary, WeeklyRun} from '../../src/history/weekly.js'
import {weeklyReport, windowText} from '../../src/report/sections/weekly.js'
import {renderReport} from '../../src/report/page.js'
import type {ChartBlock, NoteBlock, ReportMeta, TableBlock} from '../../src/report/types.js'

const meta: ReportMeta = {command: 'report weekly', version: 'test', generatedAt: '2024-05-15T00:00:00.000Z', argv: ['receval', 'report', 'weekly'], inputs: []}
const opts = {since: '2024-05-08T00:00:00.000Z', until: '2024-05-15T00:00:00.000Z', tolerance: 0.005}
let id = 0
const run = (day: number, model: string, auc: number, command = 'auc', result: Record<string, unknown> = {}): WeeklyRun => ({
  id: ++id,
  command,
  created_at: new Date(Date.UTC(2024, 4, day, 2)).toISOString(),
  tags: {model},
  result: {command, rows: 100, scores: {p: {auc}}, ...result},
})

test('windowText shows whole UTC days, the exclusive end as the day before', () => {
  assert.equal(windowText('2024-05-08T00:00:00.000Z', '2024-05-15T00:00:00.000Z'), '2024-05-08 – 2024-05-14')
  assert.equal(windowText('2024-05-08T00:00:00.000Z', '2024-05-09T00:00:00.000Z'), '2024-05-08')
  assert.equal(windowText('2024-05-08T06:30:00.000Z', '2024-05-09T00:00:00.000Z'), '2024-05-08 06:30 UTC – 2024-05-08')
})

test('weeklyReport: regressions table, A/B section with an SRM warning, one section per command', () => {
  const runs = [
    run(2, 'a', 0.7),
    run(9, 'a', 0.68),
    run(3, 'b', 0.7),
    run(10, 'b', 0.71),
    run(11, 'b', 0.3, 'recall', {at: {'10': {ndcg: 0.3}}}),
    run(12, 'b', 0.31, 'recall', {at: {'10': {ndcg: 0.31}}}),
    {...run(12, 'x', 0, 'ab'), tags: {experiment: 'e1'}, result: {command: 'ab', srm: {chi2: 30, p_value: 1e-7, mismatch: true}, results: [{metric: 'ctr', arm: 't', control: 0.1, treatment: 0.11, delta: 0.01, delta_ci: [0.005, 0.015], lift: 0.1, lift_ci: [0.05, 0.15], p_value: 0.001, p_adjusted: 0.001, significant: true}]}},
  ]
  const r = weeklyReport(weeklySummary(runs, opts), meta, {tolerance: 0.005, db: 'h.sqlite'})
  assert.equal(r.title, 'Weekly report: 2024-05-08 – 2024-05-14')
  assert.deepEqual(r.sections.map((s) => s.id), ['regressions', 'ab-tests', 'trends-auc', 'trends-recall'])
  const reg = r.sections[0].blocks[0] as TableBlock
  assert.deepEqual(reg.rows.map((row) => [row[0], row[1]]), [['auc model=a', 'scores.p.auc']])
  const ab = r.sections[1].blocks as (TableBlock | NoteBlock)[]
  assert.equal((ab[0] as TableBlock).caption, 'Run 7 · 2024-05-12 02:00 UTC · experiment=e1 · SRM p = 1.00e-7 (sample ratio mismatch)')
  assert.deepEqual((ab[0] as TableBlock).rows[0].slice(0, 2), ['ctr', 't'])
  assert.deepEqual([(ab[1] as NoteBlock).kind, (ab[1] as NoteBlock).tone], ['note', 'warn'])
  const charts = r.sections[2].blocks.filter((b): b is ChartBlock => b.kind === 'chart')
  assert.deepEqual(charts.map((c) => c.title), ['scores.p.auc'])
  assert.match(charts[0].caption ?? '', /auc model=a: 0\.7000 → 0\.6800 \(-2\.86%\) \(regression\); auc model=b: 0\.7000 → 0\.7100 \(\+1\.43%\) \(improved\)/)
  assert.match((r.sections[2].blocks.at(-1) as NoteBlock).text, /not drawn\): rows = 100/)
})

test('weeklyReport: no regressions and no A/B runs are said, not left blank', () => {
  const r = weeklyReport(weeklySummary([run(2, 'a', 0.7), run(9, 'a', 0.7)], opts), meta, {tolerance: 0.005, db: 'h.sqlite'})
  assert.deepEqual((r.sections[0].blocks[0] as NoteBlock).text, 'No metric got worse by more than 0.5% between the two windows.')
  assert.deepEqual((r.sections[1].blocks[0] as NoteBlock).text, 'No A/B test (receval ab --record) was recorded in the window.')
})

test('weeklyReport: more series than colours: charts draw the 8 busiest, the tables keep all, a note says so', () => {
  const runs: WeeklyRun[] = []
  for (let m = 0; m < 11; m++) for (let d = 0; d <= (m < 3 ? 0 : 1); d++) runs.push(run(9 + d, `m${String(m).padStart(2, '0')}`, 0.7 + m / 100 + d / 1000))
  const r = weeklyReport(weeklySummary(runs, opts), meta, {tolerance: 0.005, db: 'h.sqlite'})
  const sec = r.sections[2]
  const chart = sec.blocks.find((b): b is ChartBlock => b.kind === 'chart') as ChartBlock
  const line = (chart.spec as unknown as {layer: {mark: {type: string}; encoding: {color?: {scale: {domain: string[]; range: string[]}}}}[]}).layer.find((l) => l.mark.type === 'line')
  // m00 - m02 have one run each: left out of the charts
  assert.deepEqual(line?.encoding.color?.scale.domain, ['auc model=m03', 'auc model=m04', 'auc model=m05', 'auc model=m06', 'auc model=m07', 'auc model=m08', 'auc model=m09', 'auc model=m10'])
  assert.equal(new Set(line?.encoding.color?.scale.range).size, 8)
  assert.ok(sec.blocks.some((b) => b.kind === 'note' && b.tone === 'warn' && /^11 series: the charts draw the 8 with the most runs/.test(b.text)))
  assert.equal((sec.blocks[0] as TableBlock).rows.length, 11)
})

test('renderReport of a weekly report: section ids, figures, and hostile tag values escaped', async () => {
  const evil = '<img src=x onerror=alert(1)>'
  const runs = [run(2, evil, 0.7), run(9, evil, 0.6), {...run(10, 'x', 0, 'ab'), tags: {experiment: `"><script>alert(2)</script>`}, result: {command: 'ab', results: [{metric: evil, arm: 't', significant: false}]}}]
  const {html} = await renderReport(weeklyReport(weeklySummary(runs, opts), meta, {tolerance: 0.005, db: 'h.sqlite'}))
  for (const id of ['regressions', 'ab-tests', 'trends-auc']) assert.ok(html.includes(`id="${id}"`), id)
  assert.equal((html.match(/<figure class="chart/g) ?? []).length, 1)
  assert.doesNotMatch(html, /<img/)
  assert.doesNotMatch(html, /<script>alert/)
  assert.ok(html.includes('auc model=&lt;img src=x onerror=alert(1)&gt;'))
  assert.ok(html.includes('-14.29% worse'))
})
