import {test} from 'node:test'
import assert from 'node:assert/strict'
import {near} from '../helpers/assert.js'
import {evaluateGate, numbers, standardErrorPath} from '../../src/gate/evaluate.js'
import {parseRule, RuleKind} from '../../src/gate/rules.js'

const base = {
  command: 'auc',
  scores: {
    pctr: {auc: 0.735, auc_se: 0.003, pr_auc: 0.12, logloss: 0.14, gauc: 0.7},
    pctr_v2: {auc: 0.74, auc_se: 0.003, pr_auc: 0.13, logloss: 0.138, gauc: 0.71},
  },
  srm: {mismatch: false},
}
const cand = {
  command: 'auc',
  scores: {
    pctr: {auc: 0.72, auc_se: 0.004, pr_auc: 0.14, logloss: 0.1414, gauc: 0.7},
    pctr_v2: {auc: 0.728, auc_se: 0.004, pr_auc: 0.131, logloss: 0.137, gauc: null},
    pctr_v3: {auc: 0.75},
  },
  srm: {mismatch: true},
  file: 'x.csv',
}
const C = {label: 'cand.json', result: cand}
const B = {label: 'base.json', result: base}
const rule = (kind: RuleKind, text: string) => parseRule(kind, text)

test('max-drop passes within the tolerance and fails beyond it, per matched path', () => {
  const g = evaluateGate(C, B, [rule('max-drop', 'scores.*.auc=0.01')])
  assert.equal(g.passed, false)
  assert.deepEqual(g.checks.map((c) => [c.path, c.candidate, c.baseline, c.passed]), [['scores.pctr.auc', 0.72, 0.735, false], ['scores.pctr_v2.auc', 0.728, 0.74, false]])
  near(g.checks[0].limit, 0.725, 1e-15, 'limit')
  assert.match(g.checks[0].reason, /^0\.72 < limit 0\.725 \(baseline 0\.735 - 0\.01\)$/)
  const ok = evaluateGate(C, B, [rule('max-drop', 'scores.*.auc=0.015')])
  assert.equal(ok.passed, true)
})

test('a wildcard match missing from the baseline is skipped and listed, not checked', () => {
  const g = evaluateGate(C, B, [rule('max-drop', 'scores.*.auc=0.02')])
  assert.deepEqual(g.skipped, [{rule: '--max-drop scores.*.auc=0.02', path: 'scores.pctr_v3.auc', reason: 'is not in the baseline (base.json)'}])
  assert.equal(g.checks.length, 2)
})

test('a wildcard match only in the baseline is listed as skipped', () => {
  const g = evaluateGate({label: 'cand.json', result: {scores: {pctr: {auc: 0.73}}}}, B, [rule('max-drop', 'scores.*.auc=0.01')])
  assert.deepEqual(g.skipped.map((s) => [s.path, s.reason]), [['scores.pctr_v2.auc', 'is in the baseline (base.json) but not in the candidate (cand.json)']])
})

test('a literal path missing from the baseline is a usage error', () => {
  assert.throws(() => evaluateGate(C, B, [rule('max-drop', 'scores.pctr_v3.auc=0.01')]), /scores\.pctr_v3\.auc is not in the baseline \(base\.json\); scores has: pctr, pctr_v2/)
})

test('N% is relative to |baseline|', () => {
  const g = evaluateGate(C, B, [rule('max-rise', 'scores.pctr.logloss=1%')])
  near(g.checks[0].limit, 0.1414, 1e-15, 'limit')
  assert.equal(g.checks[0].passed, true)
  assert.match(g.checks[0].reason, /\(baseline 0\.14 \+ 1% of 0\.14 = 0\.0014\)/)
  const neg = evaluateGate({label: 'c', result: {lift: -0.104}}, {label: 'b', result: {lift: -0.1}}, [rule('max-drop', 'lift=5%')])
  near(neg.checks[0].limit, -0.105, 1e-15, 'limit')
  assert.equal(neg.checks[0].passed, true)
})

test('max-rise fails above baseline + tolerance', () => {
  const g = evaluateGate(C, B, [rule('max-rise', 'scores.pctr.logloss=0.5%')])
  assert.equal(g.checks[0].passed, false)
  assert.match(g.checks[0].reason, /^0\.1414 > limit 0\.1407/)
})

test('a value exactly at the limit passes although the limit is off by one ulp', () => {
  // 0.12 + 0.02 is 0.13999999999999999 in binary; a candidate of 0.14 is exactly at the limit.
  assert.ok(0.12 + 0.02 < 0.14)
  const g = evaluateGate(C, B, [rule('max-rise', 'scores.pctr.pr_auc=0.02')])
  assert.equal(g.checks[0].passed, true)
  const tighter = evaluateGate(C, B, [rule('max-rise', 'scores.pctr.pr_auc=0.0199999')])
  assert.equal(tighter.checks[0].passed, false)
})

test('--min / --max bound the candidate alone and report the baseline value when there is one', () => {
  const g = evaluateGate(C, B, [rule('min', 'scores.pctr.auc=0.73'), rule('max', 'scores.*.logloss=0.14')])
  // pctr_v3 has no logloss, so the wildcard finds two
  assert.deepEqual(g.checks.map((c) => [c.kind, c.path, c.baseline, c.limit, c.passed]), [
    ['min', 'scores.pctr.auc', 0.735, 0.73, false],
    ['max', 'scores.pctr.logloss', 0.14, 0.14, false],
    ['max', 'scores.pctr_v2.logloss', 0.138, 0.14, true],
  ])
  const alone = evaluateGate(C, undefined, [rule('min', 'scores.pctr.auc=0.7')])
  assert.deepEqual([alone.passed, alone.checks[0].baseline], [true, null])
})

test('booleans count as 1 / 0', () => {
  const g = evaluateGate(C, undefined, [rule('max', 'srm.mismatch=0')])
  assert.deepEqual([g.checks[0].candidate, g.checks[0].passed], [1, false])
})

test('a null candidate value fails its check with a reason', () => {
  const g = evaluateGate(C, B, [rule('max-drop', 'scores.pctr_v2.gauc=0.01')])
  assert.equal(g.checks[0].passed, false)
  assert.equal(g.checks[0].candidate, null)
  assert.match(g.checks[0].reason, /null: an undefined metric/)
})

test('a null baseline value fails a drop check: nothing to compare with', () => {
  const g = evaluateGate(B, C, [rule('max-drop', 'scores.pctr_v2.gauc=0.01')])
  assert.equal(g.checks[0].passed, false)
  assert.match(g.checks[0].reason, /the baseline has no value here/)
})

test('paths matching nothing, or not numbers, are usage errors naming what exists', () => {
  assert.throws(() => evaluateGate(C, B, [rule('max-drop', 'scores.pctr.aucc=0.01')]), /scores\.pctr\.aucc is not in the candidate \(cand\.json\); scores\.pctr has: auc, auc_se, pr_auc, logloss, gauc/)
  assert.throws(() => evaluateGate(C, B, [rule('max-drop', 'scores.*.nope=0.01')]), /no number in the candidate \(cand\.json\) matches scores\.\*\.nope/)
  assert.throws(() => evaluateGate(C, B, [rule('min', 'scores.pctr=0.01')]), /scores\.pctr in the candidate \(cand\.json\) is an object, not a number/)
  assert.throws(() => evaluateGate(C, B, [rule('min', 'file=1')]), /file in the candidate \(cand\.json\) is a string, not a number/)
  assert.throws(() => evaluateGate(C, B, [rule('max-drop', 'nothing.*=1')]), /no number in the candidate/)
})

test('a wildcard that matches only on the candidate side checks nothing: usage error', () => {
  assert.throws(() => evaluateGate({label: 'c', result: {scores: {x: {auc: 1}}}}, B, [rule('max-drop', 'scores.*.auc=0.01')]), /no path matching scores\.\*\.auc is a number in both/)
})

test('--max-drop without a baseline is a usage error', () => {
  assert.throws(() => evaluateGate(C, undefined, [rule('max-drop', 'scores.pctr.auc=0.01')]), /--max-drop compares with a baseline; give --baseline/)
})

test('standardErrorPath names the <metric>_se sibling', () => {
  assert.deepEqual(standardErrorPath(['scores', 'pctr', 'auc']), ['scores', 'pctr', 'auc_se'])
})

test('significance: a drop beyond the tolerance fails only when significant', () => {
  // pctr: drop 0.015, tolerance 0.005, se = hypot(0.004, 0.003) = 0.005: z = 2.
  // scipy 1.10: norm.sf((0.735 - 0.72 - 0.005) / hypot(0.004, 0.003)) = 0.02275013194817907
  // pctr_v2: drop 0.012: z = (0.74 - 0.728 - 0.005) / 0.005 = 1.4, norm.sf = 0.08075665923377068
  const g = evaluateGate(C, B, [rule('max-drop', 'scores.*.auc=0.005')], {significance: 0.05})
  const [p1, p2] = g.checks
  assert.ok(p1.test && p2.test)
  near(p1.test.z, 2.000000000000002, 1e-12, 'z pctr')
  near(p1.test.p_value, 0.02275013194817907, 1e-12, 'p pctr')
  near(p2.test.p_value, 0.08075665923377068, 1e-12, 'p pctr_v2')
  assert.deepEqual([p1.test.candidate_se, p1.test.baseline_se, p1.test.alpha], [0.004, 0.003, 0.05])
  near(p1.test.se, 0.005, 1e-15, 'se')
  assert.deepEqual([p1.passed, p2.passed], [false, true])
  assert.match(p1.reason, /; significant \(z = 2\.000, p = 0\.0227501 < 0\.05\)$/)
  assert.match(p2.reason, /, but the drop beyond the tolerance is not significant \(z = 1\.400, p = 0\.0807567 >= 0\.05\)$/)
  const strict = evaluateGate(C, B, [rule('max-drop', 'scores.*.auc=0.005')], {significance: 0.01})
  assert.equal(strict.passed, true)
  const loose = evaluateGate(C, B, [rule('max-drop', 'scores.*.auc=0.005')], {significance: 0.1})
  assert.deepEqual(loose.checks.map((c) => c.passed), [false, false])
})

test('significance never fails a check that is within its limit', () => {
  const g = evaluateGate(C, B, [rule('max-drop', 'scores.pctr.auc=0.02')], {significance: 0.5})
  assert.equal(g.checks[0].passed, true)
  assert.ok(g.checks[0].test && g.checks[0].test.p_value > 0.5)
})

test('significance applies to --max-rise symmetrically', () => {
  const c = {label: 'c', result: {m: 0.2, m_se: 0.01}}
  const b = {label: 'b', result: {m: 0.17, m_se: 0.01}}
  // rise 0.03 over tolerance 0.01, se = hypot(0.01, 0.01): z about 1.414;
  // scipy 1.10: norm.sf((0.2 - 0.17 - 0.01) / hypot(0.01, 0.01)) = 0.07864960352514258
  const g = evaluateGate(c, b, [rule('max-rise', 'm=0.01')], {significance: 0.05})
  near(g.checks[0].test?.p_value as number, 0.07864960352514258, 1e-12, 'p')
  assert.equal(g.checks[0].passed, true)
})

test('significance without standard errors on both sides falls back to the plain limit and says so', () => {
  const g = evaluateGate(C, B, [rule('max-drop', 'scores.pctr.pr_auc=0.001')], {significance: 0.05})
  assert.equal(g.checks[0].test, null)
  const g2 = evaluateGate(C, B, [rule('max-drop', 'scores.pctr.gauc=0.001')], {significance: 0.05})
  assert.equal(g2.checks[0].test, null)
  assert.match(g2.checks[0].reason, /no standard error scores\.pctr\.gauc_se in the candidate \(cand\.json\) and the baseline \(base\.json\), so the plain limit applies/)
  const half = evaluateGate({label: 'c', result: {m: 0.5, m_se: 0.01}}, {label: 'b', result: {m: 0.6}}, [rule('max-drop', 'm=0.01')], {significance: 0.05})
  assert.equal(half.checks[0].passed, false)
  assert.match(half.checks[0].reason, /no standard error m_se in the baseline \(b\), so the plain limit applies/)
})

test('without --significance, checks carry no test field', () => {
  const g = evaluateGate(C, B, [rule('max-drop', 'scores.pctr.auc=0.02')])
  assert.equal('test' in g.checks[0], false)
})

test('numbers() shows enough digits to tell values apart', () => {
  assert.deepEqual(numbers(0.72, 0.725), ['0.72', '0.725'])
  assert.deepEqual(numbers(0.7199999999, 0.72), ['0.7199999999', '0.72'])
})
