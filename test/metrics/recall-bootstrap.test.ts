import {test} from 'node:test'
import assert from 'node:assert/strict'
import {near} from '../helpers/assert.js'
import {bootstrapRecall, percentileInterval, quantile7} from '../../src/metrics/recall-bootstrap.js'

test('quantile7 equals R quantile(type = 7)', () => {
  // R 4.x: quantile(c(0.3, 0.1, 0.7, 0.2, 0.9, 0.4), c(0.025, 0.975), type = 7) -> 0.11250000000000002 0.875
  const v = Float64Array.of(0.3, 0.1, 0.7, 0.2, 0.9, 0.4).sort()
  near(quantile7(v, 0.025), 0.11250000000000002, 1e-15)
  near(quantile7(v, 0.975), 0.875, 1e-15)
  // quantile((1:1000)/7, c(0.05, 0.95), type = 7) -> 7.2785714285714294 135.7214285714285893
  const w = Float64Array.from({length: 1000}, (_, i) => (i + 1) / 7)
  near(quantile7(w, 0.05), 7.2785714285714294, 1e-14)
  near(quantile7(w, 0.95), 135.7214285714285893, 1e-14)
})

test('percentileInterval(values, alpha) skips NaN and is null when nothing is left', () => {
  assert.deepEqual(percentileInterval(Float64Array.of(1, 2, 3, 4, 5), 0.5), [2, 4])
  assert.deepEqual(percentileInterval(Float64Array.of(NaN, 3, NaN), 0.05), [3, 3])
  assert.equal(percentileInterval(Float64Array.of(NaN), 0.05), null)
})

/** per-unit arrays with one K: [recall, hit, hitBid, bid] */
const units = (rows: number[][]) => Float64Array.from(rows.flat())

test('bootstrapRecall is deterministic for a seed and changes with the seed', () => {
  const a = units(Array.from({length: 50}, (_, i) => [(i % 5) / 4, i % 5 > 0 ? 1 : 0, i % 3, 2]))
  const opts = {replicates: 200, seed: 11, alpha: 0.05, nK: 1}
  const r1 = bootstrapRecall([a], 50, opts)
  const r2 = bootstrapRecall([a], 50, opts)
  assert.deepEqual(r1, r2)
  const r3 = bootstrapRecall([a], 50, {...opts, seed: 12})
  assert.notDeepEqual(r1.ci, r3.ci)
  // the interval brackets the full-data value: mean recall 0.5, cost 1/2 (hit bids 0,1,2 over bid 2), hitrate 0.8
  const [cr, cost, hr] = r1.ci[0][0] as [number, number][]
  assert.ok(cr[0] < 0.5 && 0.5 < cr[1], `click_recall ci ${cr}`)
  assert.ok(cost[0] < 0.49 && 0.49 < cost[1], `cost_recall ci ${cost}`)
  assert.ok(hr[0] < 0.8 && 0.8 < hr[1], `hitrate ci ${hr}`)
})

test('bootstrapRecall: identical retrievers differ by 0 with p = 1; constant units give a point interval', () => {
  const a = units(Array.from({length: 30}, (_, i) => [i % 2, i % 2, i % 2, 1]))
  const r = bootstrapRecall([a, a], 30, {replicates: 100, seed: 1, alpha: 0.1, nK: 1})
  for (const d of r.paired[0][0]) {
    assert.equal(d.delta, 0)
    assert.deepEqual(d.ci, [0, 0])
    assert.equal(d.p_value, 1)
  }
  const c = units(Array.from({length: 10}, () => [0.25, 1, 1, 4]))
  assert.deepEqual(bootstrapRecall([c], 10, {replicates: 50, seed: 1, alpha: 0.05, nK: 1}).ci[0][0], [[0.25, 0.25], [0.25, 0.25], [1, 1]])
})

test('bootstrapRecall: a retriever better on every key gets p = 2/(B+1), the smallest possible', () => {
  const a = units(Array.from({length: 40}, () => [0.2, 1, 1, 5]))
  const b = units(Array.from({length: 40}, () => [0.6, 1, 3, 5]))
  const B = 99
  const r = bootstrapRecall([a, b], 40, {replicates: B, seed: 5, alpha: 0.05, nK: 1})
  const [cr, cost, hr] = r.paired[0][0]
  near(cr.delta, 0.4, 1e-15)
  near(cost.delta, 0.4, 1e-15) // 3/5 - 1/5
  assert.equal(cr.p_value, 2 / (B + 1)) // every delta* > 0: 2 * min(1 + 0, 1 + 99) / 100
  assert.equal(cost.p_value, 2 / (B + 1))
  assert.equal(hr.delta, 0)
  assert.equal(hr.p_value, 1)
})

test('bootstrapRecall: cost_recall replicates with no bid at all are left out, and all-zero bids give null', () => {
  const a = units([
    [1, 1, 0, 0],
    [0, 0, 0, 0],
  ])
  const r = bootstrapRecall([a], 2, {replicates: 20, seed: 1, alpha: 0.05, nK: 1})
  assert.equal(r.ci[0][0][1], null)
  assert.notEqual(r.ci[0][0][0], null)
})
