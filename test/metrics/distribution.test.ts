import {test} from 'node:test'
import assert from 'node:assert/strict'
import {near} from '../helpers/assert.js'
import {scoreHistogram} from '../../src/metrics/histogram.js'
import {groupAucDistribution, scoreDistribution} from '../../src/metrics/distribution.js'
import {quantileSorted} from '../../src/stats/quantile.js'

test('scoreDistribution(h, 2) gives the example of its doc comment', () => {
  assert.deepEqual(scoreDistribution(scoreHistogram(Float64Array.of(0, 0.2, 0.6, 1), Uint8Array.of(0, 0, 1, 1)), 2), {edges: [0, 0.5, 1], positives: [0, 2], negatives: [2, 0]})
})

test('scoreDistribution puts the highest score in the last bin and counts every row once', () => {
  const s = Float64Array.of(-2, -1, 0, 1, 2, 2, 3)
  const y = Uint8Array.of(0, 1, 0, 1, 0, 1, 1)
  const d = scoreDistribution(scoreHistogram(s, y), 5)
  assert.deepEqual(d.edges, [-2, -1, 0, 1, 2, 3])
  assert.deepEqual(d.negatives, [1, 0, 1, 0, 1])
  assert.deepEqual(d.positives, [0, 1, 0, 1, 2])
})

test('scoreDistribution of a constant score is one bin', () => {
  const d = scoreDistribution(scoreHistogram(Float64Array.of(0.3, 0.3, 0.3), Uint8Array.of(0, 1, 1)))
  assert.deepEqual(d, {edges: [0.3, 0.3], positives: [2], negatives: [1]})
})

test('groupAucDistribution(perGroup, 4) gives the example of its doc comment', () => {
  const d = groupAucDistribution(Float64Array.of(0.5, 0.75, 1), 4)
  assert.ok(d)
  assert.deepEqual(d.groups, [0, 0, 1, 2])
  assert.deepEqual(d.edges, [0, 0.25, 0.5, 0.75, 1])
})

test('groupAucDistribution puts AUC exactly on an edge in the upper bin (0.15 in [0.15, 0.2))', () => {
  const d = groupAucDistribution(Float64Array.of(0.15, 0.5, 0), 20)
  assert.ok(d)
  assert.equal(d.groups[3], 1)
  assert.equal(d.groups[10], 1)
  assert.equal(d.groups[0], 1)
})

test('groupAucDistribution quantiles equal R quantile(type = 7)', () => {
  // R 4.2: quantile(c(0.3,0.9,0.1,0.75,0.5,0.62,1.0), c(.1,.25,.5,.75,.9), type = 7)
  const d = groupAucDistribution(Float64Array.of(0.3, 0.9, 0.1, 0.75, 0.5, 0.62, 1.0))
  assert.ok(d)
  near(d.quantiles.p10, 0.22000000000000003, 1e-15, 'p10')
  near(d.quantiles.p25, 0.4, 1e-15, 'p25')
  near(d.quantiles.p50, 0.62, 1e-15, 'p50')
  near(d.quantiles.p75, 0.825, 1e-15, 'p75')
  near(d.quantiles.p90, 0.94, 1e-15, 'p90')
})

test('groupAucDistribution of no groups is null', () => {
  assert.equal(groupAucDistribution(new Float64Array(0)), null)
})

test('quantileSorted(x, 0.5) gives the example of its doc comment, and rejects p outside [0, 1]', () => {
  assert.equal(quantileSorted(Float64Array.of(1, 2, 3, 4), 0.5), 2.5)
  assert.ok(Number.isNaN(quantileSorted([], 0.5)))
  assert.throws(() => quantileSorted([1], 1.5), /p must be in \[0, 1\]/)
})
