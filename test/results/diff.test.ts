import {test} from 'node:test'
import assert from 'node:assert/strict'
import {diffResults} from '../../src/results/diff.js'

test('diffResults({auc: 0.7, rows: 10}, {auc: 0.72, rows: 10}) lists the one change', () => {
  const d = diffResults({auc: 0.7, rows: 10}, {auc: 0.72, rows: 10})
  assert.deepEqual(d.changed, [{path: 'auc', a: 0.7, b: 0.72, delta: 0.72 - 0.7, relative: (0.72 - 0.7) / 0.7}])
  assert.equal(d.unchanged, 1)
  assert.deepEqual(d.added, [])
  assert.deepEqual(d.removed, [])
})

test('diffResults: strings, booleans and null changes have no delta', () => {
  const d = diffResults({file: 'a.csv', ok: true, x: null}, {file: 'b.csv', ok: false, x: 1})
  assert.deepEqual(d.changed.map((c) => [c.path, c.delta, c.relative]), [['file', null, null], ['ok', null, null], ['x', null, null]])
})

test('diffResults: relative change is null from a zero, and uses |a| for negative a', () => {
  const d = diffResults({a: 0, b: -2}, {a: 1, b: -1})
  assert.equal(d.changed[0].relative, null)
  assert.equal(d.changed[1].relative, 0.5)
})

test('diffResults: paths on one side only are added / removed, nested and in arrays', () => {
  const d = diffResults({scores: {p: {auc: 0.7}}, ci: [1, 2, 3]}, {scores: {p: {auc: 0.7}, q: {auc: 0.8}}, ci: [1, 2]})
  assert.deepEqual(d.added, [{path: 'scores.q.auc', value: 0.8}])
  assert.deepEqual(d.removed, [{path: 'ci.2', value: 3}])
  assert.equal(d.unchanged, 3)
})

test('diffResults compares exactly: the smallest float change counts', () => {
  assert.equal(diffResults({a: 0.1 + 0.2}, {a: 0.3}).changed.length, 1)
  assert.equal(diffResults({a: 0.3}, {a: 0.3}).changed.length, 0)
})
