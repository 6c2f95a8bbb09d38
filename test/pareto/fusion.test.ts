import {test} from 'node:test'
import assert from 'node:assert/strict'
import {fuse, prepareFusion} from '../../src/pareto/fusion.js'

const s1 = Float64Array.of(0.2, 0.5, 0, 0.9)
const s2 = Float64Array.of(0.4, 0.1, 0.3, 0)
const bid = Float64Array.of(2, 1, 3, 0.5)

test('fuse doc example: sum fusion', () => {
  assert.deepEqual(Array.from(fuse(new Float64Array(2), prepareFusion({fusion: 'sum', scores: [Float64Array.of(1, 0), Float64Array.of(0, 1)]}), [0.25, 0.75])), [0.25, 0.75])
})

test('fuse with product fusion is sum w_i ln s_i; a zero score with weight > 0 is -Infinity, with weight 0 it drops out', () => {
  const p = prepareFusion({fusion: 'product', scores: [s1, s2]})
  const f = Array.from(fuse(new Float64Array(4), p, [0.5, 0.5]))
  assert.equal(f[0], 0.5 * Math.log(0.2) + 0.5 * Math.log(0.4))
  assert.equal(f[2], -Infinity)
  assert.equal(f[3], -Infinity)
  assert.ok(f.every((x) => !Number.isNaN(x)))
})

test('fuse at a vertex returns the raw score (so ties and order are exactly the score\'s own)', () => {
  const p = prepareFusion({fusion: 'product', scores: [s1, s2]})
  assert.equal(fuse(new Float64Array(4), p, [1, 0]), s1)
  assert.equal(fuse(new Float64Array(4), p, [0, 1]), s2)
  const withBid = prepareFusion({fusion: 'product', scores: [s1, s2], times: bid})
  assert.deepEqual(Array.from(fuse(new Float64Array(4), withBid, [1, 0])), [0.4, 0.5, 0, 0.45])
})

test('fuse --times: product adds ln b, sum multiplies by b', () => {
  const prod = prepareFusion({fusion: 'product', scores: [s1, s2], times: bid})
  assert.equal(fuse(new Float64Array(4), prod, [0.25, 0.75])[0], 0.25 * Math.log(0.2) + 0.75 * Math.log(0.4) + Math.log(2))
  const sum = prepareFusion({fusion: 'sum', scores: [s1, s2], times: bid})
  assert.equal(fuse(new Float64Array(4), sum, [0.25, 0.75])[1], (0.25 * 0.5 + 0.75 * 0.1) * 1)
  assert.equal(fuse(new Float64Array(4), sum, [0.25, 0.75])[3], (0.25 * 0.9 + 0.75 * 0) * 0.5)
})
