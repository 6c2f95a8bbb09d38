import {test} from 'node:test'
import assert from 'node:assert/strict'
import {parseRule} from '../../src/gate/rules.js'

test("parseRule('max-drop', 'scores.*.auc=1%') is a 1% relative rule", () => {
  const r = parseRule('max-drop', 'scores.*.auc=1%')
  assert.deepEqual({kind: r.kind, text: r.text, path: r.path, amount: r.amount, percent: r.percent}, {kind: 'max-drop', text: '--max-drop scores.*.auc=1%', path: 'scores.*.auc', amount: 1, percent: true})
  assert.deepEqual(r.pattern.wild, [false, true, false])
})

test('parseRule reads absolute amounts, exponents and negative values', () => {
  assert.equal(parseRule('max-drop', 'a=0.002').amount, 0.002)
  assert.equal(parseRule('max-rise', 'a=2e-3').amount, 0.002)
  assert.equal(parseRule('min', 'a=-1.5').amount, -1.5)
  assert.equal(parseRule('max', 'a=.5').amount, 0.5)
})

test('parseRule splits at the last =', () => {
  assert.equal(parseRule('min', 'scores.a=b.auc=0.7').path, 'scores.a=b.auc')
})

test('parseRule: % is only for --max-drop / --max-rise', () => {
  assert.throws(() => parseRule('min', 'a=5%'), /--min a=5%: N% is for --max-drop and --max-rise/)
})

test('parseRule rejects a missing path, a missing = and non-numbers', () => {
  assert.throws(() => parseRule('max-drop', 'scores.pctr.auc'), /--max-drop takes PATH=AMOUNT/)
  assert.throws(() => parseRule('max-drop', '=0.1'), /--max-drop takes PATH=AMOUNT/)
  assert.throws(() => parseRule('max', 'a=abc'), /--max takes PATH=VALUE, not "a=abc"/)
  assert.throws(() => parseRule('max-rise', 'a=1%%'), /--max-rise takes/)
  assert.throws(() => parseRule('min', 'a=NaN'), /--min takes/)
})
