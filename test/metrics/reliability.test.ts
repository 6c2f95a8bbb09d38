import {test} from 'node:test'
import assert from 'node:assert/strict'
import {near} from '../helpers/assert.js'
import {scoreHistogram} from '../../src/metrics/histogram.js'
import {reliabilityBins, wilson} from '../../src/metrics/reliability.js'

const Z95 = 1.959963984540054

test('reliabilityBins(h, 2) gives the example of its doc comment', () => {
  const b = reliabilityBins(scoreHistogram(Float64Array.of(0.1, 0.2, 0.7, 0.9), Uint8Array.of(0, 1, 1, 1)), 2)
  assert.ok(b)
  assert.deepEqual(b.rate, [0.5, 1])
  assert.deepEqual(b.count, [2, 2])
  assert.deepEqual(b.lower, [0.1, 0.7])
  assert.deepEqual(b.upper, [0.2, 0.9])
  near(b.mean_score[0], 0.15, 1e-15, 'mean')
  near(b.mean_score[1], 0.8, 1e-15, 'mean')
})

test('reliabilityBins cuts 10 rows into 5 equal bins in score order', () => {
  const s = Float64Array.of(0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.6, 0.4, 0.5, 0.05)
  const y = Uint8Array.of(1, 0, 1, 0, 0, 1, 1, 0, 0, 0)
  const b = reliabilityBins(scoreHistogram(s, y), 5)
  assert.ok(b)
  assert.deepEqual(b.count, [2, 2, 2, 2, 2])
  assert.deepEqual(b.lower, [0.05, 0.2, 0.4, 0.6, 0.8])
  assert.deepEqual(b.positives, [0, 1, 0, 1, 2])
  assert.deepEqual(b.rate, [0, 0.5, 0, 0.5, 1])
})

test('reliabilityBins never splits tied scores: a heavy tie makes one bigger bin and fewer bins', () => {
  // 6 of 10 rows score 0.2: bins of 2 rows are asked for; the first bin closes after the tie
  // (7 rows, past the targets 2, 4 and 6), the next at the target 8 and the last at the end
  const s = Float64Array.of(0.1, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.7, 0.8, 0.9)
  const y = Uint8Array.of(0, 0, 1, 0, 0, 0, 1, 1, 0, 1)
  const b = reliabilityBins(scoreHistogram(s, y), 5)
  assert.ok(b)
  assert.deepEqual(b.count, [7, 1, 2])
  assert.deepEqual(b.upper, [0.2, 0.7, 0.9])
})

test('reliabilityBins is null when a score lies outside [0, 1]', () => {
  assert.equal(reliabilityBins(scoreHistogram(Float64Array.of(-0.5, 0.2, 0.3, 2), Uint8Array.of(0, 1, 0, 1))), null)
})

test('reliabilityBins with weights: counts are weight sums and there is no interval', () => {
  const b = reliabilityBins(scoreHistogram(Float64Array.of(0.1, 0.2, 0.7, 0.9), Uint8Array.of(0, 1, 1, 1), Float64Array.of(3, 1, 1, 1)), 2, {weighted: true})
  assert.ok(b)
  assert.deepEqual(b.count, [3, 3])
  assert.deepEqual(b.rate, [0, 1])
  assert.deepEqual(b.rate_low, [null, null])
})

test('reliabilityBins intervals are Wilson intervals at 1 - alpha', () => {
  const s = Float64Array.from({length: 40}, (_, i) => i / 40)
  const y = Uint8Array.from({length: 40}, (_, i) => (i % 13 === 1 ? 1 : 0))
  const b = reliabilityBins(scoreHistogram(s, y), 1, {alpha: 0.1})
  assert.ok(b)
  // statsmodels 0.13.5 proportion_confint(3, 40, alpha=0.1, method='wilson')
  near(b.rate_low[0], 0.030370252611738993, 1e-14, 'low')
  near(b.rate_high[0], 0.17348017873690041, 1e-14, 'high')
})

test('wilson(k, n, z) equals statsmodels proportion_confint(method="wilson")', () => {
  // statsmodels 0.13.5: proportion_confint(5, 10, 0.05, 'wilson'), proportion_confint(0, 7, 0.05, 'wilson')
  const [a, b] = wilson(5, 10, Z95)
  near(a, 0.23659309051256394, 1e-14, 'low')
  near(b, 0.7634069094874361, 1e-14, 'high')
  const [c, d] = wilson(0, 7, Z95)
  near(c, 0, 1e-15, 'low')
  near(d, 0.3543304350666875, 1e-14, 'high')
})
