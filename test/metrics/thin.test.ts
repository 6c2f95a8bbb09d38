import {test} from 'node:test'
import assert from 'node:assert/strict'
import {segmentDistance, thinPolyline} from '../../src/metrics/thin.js'

const f64 = (a: number[]) => Float64Array.from(a)

test('thinPolyline(x, y, 2) on a straight line keeps the two ends', () => {
  assert.deepEqual([...thinPolyline(f64([0, 0.5, 1]), f64([0, 0.5, 1]), 2)], [0, 2])
})

test('thinPolyline keeps every vertex when there are at most maxPoints', () => {
  assert.deepEqual([...thinPolyline(f64([0, 0.2, 1]), f64([0, 0.9, 1]), 3)], [0, 1, 2])
  assert.deepEqual([...thinPolyline(f64([0]), f64([0]), 2)], [0])
  assert.deepEqual([...thinPolyline(f64([]), f64([]), 2)], [])
})

test('thinPolyline splits first at the farthest vertex', () => {
  // (0.5, 0.9) is farther from the chord (0,0)-(1,1) than (0.25, 0.3)
  assert.deepEqual([...thinPolyline(f64([0, 0.25, 0.5, 1]), f64([0, 0.3, 0.9, 1]), 3)], [0, 2, 3])
})

test('thinPolyline drops collinear vertices even below maxPoints once nothing else deviates', () => {
  const x = f64([0, 0, 0, 0.5, 1, 1])
  const y = f64([0, 0.3, 0.6, 1, 1, 1])
  // n = 6 > maxPoints = 5: the corner (0, 0.6)..(0.5, 1) shape is kept, points on segments go
  const keep = [...thinPolyline(x, y, 5)]
  assert.equal(keep[0], 0)
  assert.equal(keep[keep.length - 1], 5)
  assert.ok(keep.length <= 5)
  assert.ok(keep.includes(2) && keep.includes(3), `corners kept: ${keep}`)
})

test('thinPolyline on 100000 random-walk vertices keeps at most maxPoints, both ends, ascending', () => {
  // seeded LCG (seed 7) so the shape is the same on every run
  let s = 7
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32)
  const n = 100000
  const x = new Float64Array(n)
  const y = new Float64Array(n)
  for (let i = 1; i < n; i++) {
    x[i] = x[i - 1] + rnd()
    y[i] = y[i - 1] + rnd() - 0.5
  }
  const keep = thinPolyline(x, y, 1000)
  assert.equal(keep.length, 1000)
  assert.equal(keep[0], 0)
  assert.equal(keep[keep.length - 1], n - 1)
  for (let i = 1; i < keep.length; i++) assert.ok(keep[i] > keep[i - 1])
})

test('thinPolyline rejects maxPoints < 2 and unequal lengths', () => {
  assert.throws(() => thinPolyline(f64([0, 1, 2]), f64([0, 1, 2]), 1), /maxPoints must be at least 2/)
  assert.throws(() => thinPolyline(f64([0, 1]), f64([0]), 2), /differ in length/)
})

test('segmentDistance is clamped to the segment ends', () => {
  assert.equal(segmentDistance(0.5, 1, 0, 0, 1, 0), 1)
  assert.equal(segmentDistance(2, 0, 0, 0, 1, 0), 1)
  assert.equal(segmentDistance(3, 4, 0, 0, 0, 0), 5)
})
