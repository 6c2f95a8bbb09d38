import {test} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {BIN, ROOT, csvOf, receval, tempDir, writeFile} from '../helpers/cli.js'
import type {AucResultWithCurves} from '../../src/metrics/curves.js'

const FIXTURE = 'fixtures/ctr.csv'
const HOSTILE = '<img src=x onerror=alert(1)>'

test('auc --html --curves --json writes both files and adds "curves" to the result', () => {
  const dir = tempDir()
  const html = join(dir, 'report.html')
  const csv = join(dir, 'curves.csv')
  const r = receval(['auc', FIXTURE, '--score', 'pctr', '--score', 'pctr_v2', '--group', 'user_id', '--ci', '--thresholds', '0.05,0.1', '--html', html, '--curves', csv, '--json'])
  assert.equal(r.code, 0, r.stderr)
  const j = r.json as AucResultWithCurves
  assert.ok(j.curves, 'curves in the result')
  assert.deepEqual(Object.keys(j.curves), ['pctr', 'pctr_v2'])
  // distinct scores + 1 (scikit-learn 1.2.1: len(roc_curve(label, pctr, drop_intermediate=False)[2]) = 2216)
  assert.equal(j.curves.pctr.roc.exact_points, 2216)
  assert.equal(j.curves.pctr_v2.roc.exact_points, 18269)
  for (const c of Object.values(j.curves)) {
    assert.deepEqual(Object.keys(c), ['roc', 'pr', 'reliability', 'distribution', 'group_auc'])
    assert.ok(c.roc.threshold.length <= 1000 && c.pr.threshold.length <= 1000)
    assert.equal(c.roc.threshold.length, 1000)
    assert.deepEqual([c.roc.fpr[0], c.roc.tpr[0], c.roc.threshold[0]], [0, 0, null])
    assert.deepEqual([c.roc.fpr.at(-1), c.roc.tpr.at(-1)], [1, 1])
    assert.equal(c.reliability?.rate.length, 10)
    assert.equal(c.group_auc?.groups.reduce((a, b) => a + b, 0), j.scores.pctr.gauc_groups)
  }
  assert.match(r.stderr, /wrote .*curves\.csv \(\d+ bytes\)/)
  assert.match(r.stderr, /wrote .*report\.html \(\d+ bytes\)/)
  const page = readFileSync(html, 'utf8')
  assert.equal((page.match(/<svg /g) ?? []).length, 7)
  assert.match(page, /<title>AUC report: fixtures\/ctr\.csv<\/title>/)
  assert.match(page, /<span class="arg">receval<\/span> <span class="arg">auc<\/span> <span class="arg">fixtures\/ctr\.csv<\/span>/)
})

test('the curves CSV holds exactly the thinned points of the result, one row per point', () => {
  const dir = tempDir()
  const csv = join(dir, 'c.csv')
  const r = receval(['auc', FIXTURE, '--score', 'pctr', '--score', 'pctr_v2', '--curves', csv, '--json'])
  assert.equal(r.code, 0, r.stderr)
  const j = r.json as AucResultWithCurves
  const lines = readFileSync(csv, 'utf8').trimEnd().split('\n')
  assert.equal(lines[0], 'score,curve,threshold,tp,fp,fpr,tpr,recall,precision')
  const rows = lines.slice(1).map((l) => l.split(','))
  const curves = j.curves ?? {}
  const expected = Object.values(curves).reduce((n, c) => n + c.roc.threshold.length + c.pr.threshold.length, 0)
  assert.equal(rows.length, expected)
  assert.deepEqual(rows[0], ['pctr', 'roc', 'inf', '0', '0', '0', '0', '0', ''])
  const pr = rows.filter((x) => x[0] === 'pctr_v2' && x[1] === 'pr')
  const c = curves.pctr_v2.pr
  assert.equal(pr.length, c.threshold.length)
  pr.forEach((x, i) => {
    assert.equal(Number(x[2]), c.threshold[i])
    assert.equal(Number(x[3]), c.tp[i])
    assert.equal(Number(x[8]), c.precision[i])
    assert.equal(x[6], x[7], 'recall = tpr')
  })
})

test('without --html or --curves the JSON result has no curves and is otherwise the same', () => {
  const dir = tempDir()
  const a = receval(['auc', FIXTURE, '--score', 'pctr', '--ci', '--json'])
  const b = receval(['auc', FIXTURE, '--score', 'pctr', '--ci', '--json', '--html', join(dir, 'r.html')])
  assert.equal(a.code, 0, a.stderr)
  assert.equal(b.code, 0, b.stderr)
  assert.equal('curves' in (a.json as object), false)
  const withCurves = b.json as Record<string, unknown>
  delete withCurves.curves
  assert.deepEqual(withCurves, a.json)
})

test('--html also works with the human table on stdout, which stays free of report noise', () => {
  const dir = tempDir()
  const r = receval(['auc', FIXTURE, '--score', 'pctr', '--html', join(dir, 'r.html')])
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /^fixtures\/ctr\.csv: 20000 rows/)
  assert.doesNotMatch(r.stdout, /wrote/)
  assert.ok(statSync(join(dir, 'r.html')).size > 10000)
})

test('--interactive without --html is a usage error (exit 2)', () => {
  const r = receval(['auc', FIXTURE, '--interactive'])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /--interactive/)
  assert.match(r.stderr, /--html/)
})

test('an --html or --curves path that cannot be written fails at once with exit 2, naming the flag', () => {
  const dir = tempDir()
  mkdirSync(join(dir, 'sub'))
  const cases: [string[], RegExp][] = [
    [['--html', join(dir, 'missing', 'r.html')], /^receval: --html .*missing\/r\.html: the folder .*missing does not exist\n$/],
    [['--html', join(dir, 'sub')], /^receval: --html .*sub: is a folder, not a file\n$/],
    [['--curves', '-'], /^receval: --curves needs a file name/],
  ]
  for (const [flags, msg] of cases) {
    const r = receval(['auc', FIXTURE, ...flags])
    assert.equal(r.code, 2, flags.join(' '))
    assert.match(r.stderr, msg)
    assert.equal(r.stdout, '')
  }
  assert.equal(existsSync(join(dir, 'missing')), false)
})

test('--html with --json and a bad input prints the JSON error and writes no report', () => {
  const dir = tempDir()
  const f = writeFile(dir, 'bad.csv', 'label,score\n1,0.5\n2,0.1\n')
  const r = receval(['auc', f, '--html', join(dir, 'r.html'), '--json'])
  assert.equal(r.code, 2)
  assert.equal((r.json as {error: {line: number}}).error.line, 3)
  assert.equal(existsSync(join(dir, 'r.html')), false)
})

test('a hostile column name is shown as text in the report', () => {
  const dir = tempDir()
  const f = writeFile(dir, 'x.csv', csvOf({label: [0, 1, 0, 1, 1, 0], [HOSTILE]: [0.1, 0.8, 0.3, 0.6, 0.9, 0.2]}))
  const out = join(dir, 'r.html')
  const r = receval(['auc', f, '--score', HOSTILE, '--html', out])
  assert.equal(r.code, 0, r.stderr)
  const page = readFileSync(out, 'utf8')
  const markup = page.replace(/<svg[\s\S]*?<\/svg>/g, '')
  assert.doesNotMatch(page, /<img/i)
  assert.match(markup, /<th scope="row">&lt;img src=x onerror=alert\(1\)&gt;<\/th>/)
  assert.match(markup, /<span class="arg">&#39;&lt;img src=x onerror=alert\(1\)&gt;&#39;<\/span>/)
})

test('weighted input: the report labels weight sums and has no calibration intervals', () => {
  const dir = tempDir()
  const f = writeFile(dir, 'w.csv', csvOf({label: [0, 1, 0, 1, 1, 0, 0, 1], score: [0.1, 0.8, 0.3, 0.6, 0.9, 0.2, 0.5, 0.4], w: [1, 2, 1, 0.5, 3, 1, 2, 1]}))
  const out = join(dir, 'r.html')
  const r = receval(['auc', f, '--weight', 'w', '--html', out, '--json'])
  assert.equal(r.code, 0, r.stderr)
  const j = r.json as AucResultWithCurves
  assert.deepEqual(j.curves?.score.reliability?.rate_low.every((v) => v === null), true)
  const page = readFileSync(out, 'utf8')
  assert.match(page, /<dt>Positives \(weight\)<\/dt><dd>6\.50<\/dd>/)
  assert.match(page, /Share of class weight/)
})

test('vega is not imported unless a report is written (auc --help and plain runs stay fast)', () => {
  const dir = tempDir()
  const hooks = writeFile(dir, 'hooks.mjs', `export async function resolve(s, c, next) { const r = await next(s, c); if (/node_modules\\/vega/.test(r.url)) process.stderr.write('VEGA ' + r.url + '\\n'); return r }\n`)
  const reg = writeFile(dir, 'register.mjs', `import {register} from 'node:module'; import {pathToFileURL} from 'node:url'; register(pathToFileURL(${JSON.stringify(hooks)}))\n`)
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', reg, BIN, ...args], {cwd: ROOT, encoding: 'utf8'})
  const plain = run(['auc', FIXTURE, '--json'])
  assert.equal(plain.status, 0, plain.stderr)
  assert.doesNotMatch(plain.stderr, /VEGA/)
  const help = run(['auc', '--help'])
  assert.equal(help.status, 0)
  assert.match(help.stdout, /--html=FILE/)
  assert.doesNotMatch(help.stderr, /VEGA/)
  const report = run(['auc', FIXTURE, '--html', join(dir, 'r.html')])
  assert.equal(report.status, 0, report.stderr)
  assert.match(report.stderr, /VEGA /, 'the check itself sees vega when a report is written')
})

test('the report of a larger input (120,000 rows, 3 scores, 10,000 groups) stays small', () => {
  // seeded (LCG seed 5): continuous scores, so every row is its own operating point
  const dir = tempDir()
  let s = 5
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32)
  const lines = ['user_id,label,a,b,c']
  for (let i = 0; i < 120000; i++) {
    const y = rnd() < 0.05 ? 1 : 0
    lines.push(`${i % 10000},${y},${(rnd() * 0.3 + y * rnd() * 0.2).toFixed(7)},${(rnd() * 0.5 + y * rnd() * 0.2).toFixed(7)},${(rnd() * 0.2 + y * rnd() * 0.3).toFixed(7)}`)
  }
  const f = join(dir, 'big.csv')
  writeFileSync(f, lines.join('\n') + '\n')
  const out = join(dir, 'r.html')
  const live = join(dir, 'live.html')
  const r = receval(['auc', f, '--score', 'a', '--score', 'b', '--score', 'c', '--group', 'user_id', '--ci', '--html', out, '--json'])
  assert.equal(r.code, 0, r.stderr)
  const j = r.json as AucResultWithCurves
  for (const c of Object.values(j.curves ?? {})) {
    assert.ok(c.roc.exact_points > 100000)
    assert.ok(c.roc.threshold.length <= 1000 && c.pr.threshold.length <= 1000)
    assert.ok(c.roc.max_error < 0.002, `roc max_error ${c.roc.max_error}`)
  }
  const size = statSync(out).size
  assert.ok(size < 600_000, `static report ${size} bytes`)
  const ri = receval(['auc', f, '--score', 'a', '--score', 'b', '--score', 'c', '--group', 'user_id', '--html', live, '--interactive'])
  assert.equal(ri.code, 0, ri.stderr)
  assert.ok(statSync(live).size < 2_000_000, `interactive report ${statSync(live).size} bytes`)
})

test('with SOURCE_DATE_EPOCH two runs write byte-identical reports', () => {
  const dir = tempDir()
  const env = {SOURCE_DATE_EPOCH: '1700000000'}
  const a = receval(['auc', FIXTURE, '--score', 'pctr', '--group', 'user_id', '--html', join(dir, 'r.html')], {env})
  const first = readFileSync(join(dir, 'r.html'), 'utf8')
  const b = receval(['auc', FIXTURE, '--score', 'pctr', '--group', 'user_id', '--html', join(dir, 'r.html')], {env})
  assert.equal(a.code, 0, a.stderr)
  assert.equal(b.code, 0, b.stderr)
  assert.equal(readFileSync(join(dir, 'r.html'), 'utf8'), first)
  assert.match(first, /<dt>Created<\/dt><dd>2023-11-14 22:13:20 UTC<\/dd>/)
})
