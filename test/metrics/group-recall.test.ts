import {test} from 'node:test'
import assert from 'node:assert/strict'
import {near} from '../helpers/assert.js'
import {rng} from '../helpers/random.js'
import {groupIndex} from '../../src/metrics/gauc.js'
import {groupRecallAtK} from '../../src/metrics/group-recall.js'

test('groupRecallAtK doc example', () => {
  const r = groupRecallAtK(groupIndex(Int32Array.of(0, 0, 0, 1, 1), 2, Uint8Array.of(1, 0, 1, 0, 1)), Uint8Array.of(1, 0, 1, 0, 1), Float64Array.of(0.9, 0.8, 0.1, 0.5, 0.4), 1)
  assert.deepEqual(r, {recall: 0.25, groups: 2, skipped: 0})
})

test('groupRecallAtK counts a tie across the K-th place by expectation', () => {
  // one group: 0.9 (neg) above; 0.5 x 3 tied (2 positives) for the one remaining top-2 place
  const r = groupRecallAtK(groupIndex(Int32Array.of(0, 0, 0, 0, 0), 1, Uint8Array.of(0, 1, 1, 0, 1)), Uint8Array.of(0, 1, 1, 0, 1), Float64Array.of(0.9, 0.5, 0.5, 0.5, 0.1), 2)
  near(r.recall, ((2 * 1) / 3) / 3, 1e-15, 'recall')
})

test('groupRecallAtK: a group with K rows or fewer captures everything; groups without positives are skipped', () => {
  const r = groupRecallAtK(groupIndex(Int32Array.of(0, 0, 1, 1, 1), 2, Uint8Array.of(1, 0, 0, 0, 0)), Uint8Array.of(1, 0, 0, 0, 0), Float64Array.of(0.1, 0.9, 1, 2, 3), 5)
  assert.deepEqual(r, {recall: 1, groups: 1, skipped: 1})
  assert.deepEqual(groupRecallAtK(groupIndex(Int32Array.of(0, 0), 1, Uint8Array.of(0, 0)), Uint8Array.of(0, 0), Float64Array.of(1, 2), 1), {recall: null, groups: 0, skipped: 1})
})

test('groupRecallAtK handles -Infinity scores (product fusion of a zero score)', () => {
  const r = groupRecallAtK(groupIndex(Int32Array.of(0, 0, 0), 1, Uint8Array.of(1, 0, 1)), Uint8Array.of(1, 0, 1), Float64Array.of(-Infinity, -Infinity, 0.3), 2)
  near(r.recall, (1 + 0.5) / 2, 1e-15, 'recall')
})

test('groupRecallAtK equals the average over every tie-breaking order (random small groups, seed 99)', () => {
  const r = rng(99)
  for (let rep = 0; rep < 200; rep++) {
    const n = 1 + Math.floor(r() * 7)
    const k = 1 + Math.floor(r() * 4)
    const labels = Uint8Array.from({length: n}, () => (r() < 0.4 ? 1 : 0))
    const scores = Float64Array.from({length: n}, () => Math.floor(r() * 3))
    const got = groupRecallAtK(groupIndex(new Int32Array(n), 1, labels), labels, scores, k).recall
    const P = labels.reduce((a, b) => a + b, 0)
    if (P === 0) {
      assert.equal(got, null)
      continue
    }
    // all permutations of the rows, stable-sorted by score descending: mean captured share
    const perms: number[][] = []
    const permute = (a: number[], rest: number[]) => (rest.length === 0 ? perms.push(a) : rest.forEach((x, i) => permute([...a, x], [...rest.slice(0, i), ...rest.slice(i + 1)])))
    permute([], [...Array(n).keys()])
    let sum = 0
    for (const p of perms) {
      const ranked = [...p].sort((a, b) => scores[b] - scores[a])
      sum += ranked.slice(0, k).reduce((a, i) => a + labels[i], 0) / P
    }
    near(got, sum / perms.length, 1e-12, `rep ${rep}`)
  }
})
