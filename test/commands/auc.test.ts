import {test} from 'node:test'
import assert from 'node:assert/strict'
import {gzipSync} from 'node:zlib'
import {csvOf, receval, tempDir, writeFile} from '../helpers/cli.js'
import {near} from '../helpers/assert.js'

const dir = tempDir()
const basic = writeFile(dir, 'basic.csv', csvOf({label: [0, 0, 1, 1], score: [0.1, 0.4, 0.35, 0.8]}))

interface AucJson {
  command: string
  rows: number
  dropped_rows: number
  positives: number
  negatives: number
  scores: Record<string, Record<string, unknown>>
  comparisons?: {a: string; b: string; delta: number; z: number; p_value: number}[]
  notes: string[]
}

test('receval auc prints a readable table and exits 0', () => {
  const r = receval(['auc', basic])
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /4 rows, 2 positives, 2 negatives/)
  assert.match(r.stdout, /score\s+auc\s+pr_auc\s+logloss\s+ne\s+brier\s+calibration/)
  assert.match(r.stdout, /score\s+0\.750000\s+0\.833333/)
  assert.equal(r.stderr, '')
})

test('receval auc --json prints exactly one JSON object with the contract fields', () => {
  const r = receval(['auc', basic, '--json'])
  assert.equal(r.code, 0)
  const j = r.json as AucJson
  assert.equal(j.command, 'auc')
  assert.equal(j.rows, 4)
  assert.equal(j.dropped_rows, 0)
  assert.equal(j.positives, 2)
  assert.equal(j.negatives, 2)
  assert.deepEqual(Object.keys(j.scores.score), ['auc', 'pr_auc', 'logloss', 'ne', 'brier', 'calibration'])
  assert.equal(j.scores.score.auc, 0.75)
  assert.deepEqual(j.notes, [])
})

test('several --score columns in one pass, --ci gives DeLong intervals and a paired comparison (pROC 1.18 delong-paired vector)', () => {
  const f = writeFile(dir, 'two.csv', csvOf({label: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1], s1: [0.1, 0.3, 0.35, 0.5, 0.6, 0.4, 0.55, 0.7, 0.8, 0.9], s2: [0.2, 0.1, 0.4, 0.3, 0.8, 0.5, 0.45, 0.6, 0.7, 0.65]}))
  const r = receval(['auc', f, '--score', 's1', '--score', 's2', '--ci', '--json'])
  assert.equal(r.code, 0, r.stderr)
  const j = r.json as AucJson
  near(j.scores.s1.auc, 0.88)
  near((j.scores.s1.auc_se as number) ** 2, 0.0128, 1e-12)
  near((j.scores.s1.auc_ci as number[])[0], 0.6583, 1e-4)
  assert.equal((j.scores.s1.auc_ci as number[])[1], 1)
  const c = (j.comparisons ?? [])[0]
  assert.equal(c.a, 's1')
  assert.equal(c.b, 's2')
  near(c.delta, -0.08, 1e-12)
  near(Math.abs(c.z), 0.5080005, 1e-6)
  near(c.p_value, 0.611453, 1e-6)
  const h = receval(['auc', f, '--score', 's1', '--score', 's2', '--ci'])
  assert.match(h.stdout, /paired DeLong \(b - a\):/)
})

test('--group gives gauc, gauc_unweighted and group counts (torchrec test_gauc sessions)', () => {
  const f = writeFile(dir, 'g.csv', csvOf({user_id: ['a', 'a', 'a', 'b', 'b', 'c'], label: [1, 0, 1, 1, 0, 1], score: [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]}))
  const j = receval(['auc', f, '--group', 'user_id', '--json']).json as AucJson
  near(j.scores.score.gauc_unweighted, 0.75)
  near(j.scores.score.gauc, (3 * 0.5 + 2 * 1) / 5)
  assert.equal(j.scores.score.gauc_groups, 2)
  assert.equal(j.scores.score.gauc_groups_skipped, 1)
})

test('--thresholds gives the confusion matrix and rates at each threshold', () => {
  const j = receval(['auc', basic, '--thresholds', '0.35,0.9', '--json']).json as AucJson
  const t = j.scores.score.thresholds as Record<string, number | null>[]
  assert.deepEqual(t[0], {threshold: 0.35, tp: 2, fp: 1, tn: 1, fn: 0, tpr: 1, fpr: 0.5, tnr: 0.5, fnr: 0, precision: 2 / 3, npv: 1, f1: 0.8, accuracy: 0.75})
  assert.equal(t[1].tp, 0)
  assert.equal(t[1].precision, null)
  const h = receval(['auc', basic, '--thresholds', '0.35,0.9'])
  assert.match(h.stdout, /thresholds for score/)
})

test('scores outside [0, 1]: logloss, ne, brier and calibration are null with a note', () => {
  const f = writeFile(dir, 'logit.csv', csvOf({label: [0, 1, 0, 1], score: [-2, 1.5, 0.1, 3]}))
  const r = receval(['auc', f, '--json'])
  const j = r.json as AucJson
  assert.equal(j.scores.score.auc, 1)
  assert.equal(j.scores.score.logloss, null)
  assert.equal(j.scores.score.calibration, null)
  assert.match(j.notes[0], /outside \[0, 1\]/)
  assert.match(r.stderr, /note: logloss/)
})

test('--weight weights pairs; --ci with weights gives null intervals and says why (scikit-learn sample_weight vector)', () => {
  const f = writeFile(dir, 'w.csv', csvOf({label: [0, 0, 1, 1], score: [0.1, 0.4, 0.35, 0.8], w: [1, 2, 3, 4]}))
  const j = receval(['auc', f, '--weight', 'w', '--ci', '--json']).json as AucJson
  near(j.scores.score.auc, 0.7142857142857143, 1e-15)
  assert.equal(j.positives, 7)
  assert.equal(j.scores.score.auc_se, null)
  assert.ok(j.notes.some((n) => /DeLong variance is defined for unweighted/.test(n)))
})

test('still works: BOM + CRLF, quoted fields, gzip, stdin, JSONL, --drop-invalid', () => {
  const crlf = writeFile(dir, 'crlf.csv', '\ufeff"label","score"\r\n"0","0.1"\r\n0,0.4\r\n1,"0.35"\r\n1,0.8\r\n')
  assert.equal((receval(['auc', crlf, '--json']).json as AucJson).scores.score.auc, 0.75)
  const gz = writeFile(dir, 'basic.csv.gz', gzipSync(csvOf({label: [0, 0, 1, 1], score: [0.1, 0.4, 0.35, 0.8]})))
  assert.equal((receval(['auc', gz, '--json']).json as AucJson).scores.score.auc, 0.75)
  const stdin = receval(['auc', '-', '--format', 'csv', '--json'], {input: 'label,score\n0,0.1\n0,0.4\n1,0.35\n1,0.8\n'})
  assert.equal((stdin.json as AucJson).scores.score.auc, 0.75)
  const gzStdin = receval(['auc', '-', '--format', 'tsv', '--json'], {input: gzipSync('label\tscore\n0\t0.1\n1\t0.9\n')})
  assert.equal((gzStdin.json as AucJson).scores.score.auc, 1)
  const jl = writeFile(dir, 'a.jsonl', '{"label":0,"score":0.1}\n{"label":false,"score":0.4}\n{"label":1,"score":0.35}\n{"label":true,"score":0.8}\n')
  assert.equal((receval(['auc', jl, '--json']).json as AucJson).scores.score.auc, 0.75)
  const bad = writeFile(dir, 'dirty.csv', 'label,score\n0,0.1\n0,NaN\n0,0.4\n1,\n1,0.35\n1,0.8\n')
  const d = receval(['auc', bad, '--drop-invalid', '--json']).json as AucJson
  assert.equal(d.dropped_rows, 2)
  assert.equal(d.rows, 4)
  assert.equal(d.scores.score.auc, 0.75)
})

const badInputs: [string, string[], RegExp][] = (() => {
  const w = (name: string, content: string | Buffer) => writeFile(dir, name, content)
  const gz = gzipSync('label,score\n' + '1,0.5\n0,0.4\n'.repeat(5000))
  return [
    ['missing file', ['auc', dir + '/missing.csv'], /missing\.csv: no such file/],
    ['empty file', ['auc', w('empty.csv', '')], /empty\.csv: file is empty/],
    ['header only', ['auc', w('header.csv', 'label,score\n')], /header\.csv: no data rows/],
    ['missing column', ['auc', w('nolabel.csv', 'y_true,score\n1,0.5\n')], /nolabel\.csv: no label column: tried label, click, clk, is_click, y \(name it with --label\); the file has columns: "y_true", "score"/],
    ['unknown --score', ['auc', basic, '--score', 'pctr_v3'], /basic\.csv: no column "pctr_v3" \(--score\); the file has columns: "label", "score"/],
    ['unparsable number', ['auc', w('num.csv', 'label,score\n1,0.5\n0,0.x\n')], /num\.csv:3: column "score": "0\.x" is not a number/],
    ['NaN', ['auc', w('nan.csv', 'label,score\n1,0.5\n0,NaN\n')], /nan\.csv:3: column "score": "NaN" is not a finite number/],
    ['inf', ['auc', w('inf.csv', 'label,score\n1,inf\n0,0.5\n')], /inf\.csv:2: column "score": "inf" is not a finite number/],
    ['empty value', ['auc', w('emptyval.csv', 'label,score\n1,0.5\n0,\n')], /emptyval\.csv:3: column "score": empty value where a number is needed/],
    ['bad label', ['auc', w('lab.csv', 'label,score\n1,0.5\n2,0.5\n')], /lab\.csv:3: column "label": "2" is not a label \(expected 0, 1, true or false\)/],
    ['too few fields', ['auc', w('few.csv', 'label,score\n1,0.5\n0\n')], /few\.csv:3: row has 1 field but column "score" is field 2/],
    ['one class', ['auc', w('one.csv', 'label,score\n1,0.5\n1,0.4\n')], /one\.csv: column "label": all 2 rows have label = 1; AUC needs both positives and negatives/],
    ['binary garbage', ['auc', w('garbage.csv', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]))], /garbage\.csv: binary data, not a text table/],
    ['truncated gzip', ['auc', w('trunc.csv.gz', gz.subarray(0, gz.length - 30))], /trunc\.csv\.gz: truncated or corrupt gzip data/],
    ['unterminated quote', ['auc', w('quote.csv', 'label,score\n1,0.5\n0,"0.4\n1,0.3\n')], /quote\.csv:3: column "score": unterminated quoted field/],
    ['negative weight', ['auc', w('negw.csv', 'label,score,w\n1,0.5,1\n0,0.4,-1\n'), '--weight', 'w'], /negw\.csv:3: column "w": -1 is negative; weights must be >= 0/],
    ['stdin without --format', ['auc', '-'], /reading stdin \("-"\) needs --format/],
    ['bad --alpha', ['auc', basic, '--alpha', '2'], /--alpha must be between 0 and 1/],
    ['bad --thresholds', ['auc', basic, '--thresholds', '0.1,x'], /--thresholds takes comma-separated numbers/],
    ['unknown flag', ['auc', basic, '--nope'], /Nonexistent flag: --nope/],
  ]
})()

for (const [what, args, re] of badInputs) {
  test(`bad input (${what}): exit 2, one line on stderr, no stack trace`, () => {
    const r = receval(args)
    assert.equal(r.code, 2, `exit code for ${what}: ${r.code}; stderr: ${r.stderr}`)
    assert.equal(r.stdout, '')
    const lines = r.stderr.trim().split('\n')
    assert.equal(lines.length, 1, `one line expected, got:\n${r.stderr}`)
    assert.match(lines[0], re)
    assert.doesNotMatch(r.stderr, /\s+at .*\(.*:\d+:\d+\)/)
  })
}

test('bad input with --json: the error object on stdout, exit 2', () => {
  const r = receval(['auc', dir + '/missing.csv', '--json'])
  assert.equal(r.code, 2)
  const j = r.json as {error: {message: string; code: string; file: string}}
  assert.equal(j.error.code, 'INPUT_ERROR')
  assert.match(j.error.message, /no such file/)
  assert.equal(j.error.file, dir + '/missing.csv')
})

test('a large file with few rows: the compute thread started early is left unused and the command still exits at once', () => {
  // 9 MiB, 60,000 rows: large enough on disk for `receval auc` to start its compute thread while
  // reading, too few rows for it to be used (it must not keep the process alive)
  const wide = tempDir('receval-auc-wide-')
  const pad = 'x'.repeat(150)
  const lines = ['label,pctr,note']
  for (let i = 0; i < 60000; i++) lines.push(`${(i * 7) % 3 === 0 ? 1 : 0},${((i * 7919) % 10007) / 10007},${pad}`)
  const file = writeFile(wide, 'wide.csv', lines.join('\n') + '\n')
  // a thread that kept it alive would hang the command: killed after 60 s, the exit code is not 0
  const r = receval(['auc', file, '--json'], {timeout: 60000})
  assert.equal(r.code, 0, r.stderr)
  assert.equal((r.json as {rows: number}).rows, 60000)
})
