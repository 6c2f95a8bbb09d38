import {test} from 'node:test'
import assert from 'node:assert/strict'
import {near} from '../helpers/assert.js'
import {adjustPValues} from '../../src/stats/multiple-testing.js'
import {srmTest} from '../../src/stats/srm.js'
import {orderStatistics, quantileLinear} from '../../src/stats/quantile.js'
import {relativeMde, unitsPerArm} from '../../src/stats/power.js'
import {welchDf} from '../../src/stats/welch.js'

// Reference values from statsmodels 0.13.5 (multipletests, NormalIndPower), scipy 1.10
// (scipy.stats.chisquare) and numpy 1.24 (np.percentile), run with /usr/bin/python3.

const closeAll = (got: (number | null)[], want: number[], tol: number) => want.forEach((w, i) => near(got[i], w, tol, `[${i}]`))

test('adjustPValues holm equals statsmodels multipletests(method="holm")', () => {
  const p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.9, 0.0001]
  closeAll(adjustPValues(p, 'holm'), [0.06, 0.16, 0.15, 0.035, 0.4, 0.16, 0.9, 0.0008], 1e-15)
  closeAll(adjustPValues([0.5, 0.02], 'holm'), [0.5, 0.04], 1e-15)
  assert.deepEqual(adjustPValues([0.01, 0.04, 0.03], 'holm').map((x) => +(x as number).toFixed(12)), [0.03, 0.06, 0.06])
})

test('adjustPValues bh equals statsmodels multipletests(method="fdr_bh")', () => {
  const p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.9, 0.0001]
  closeAll(adjustPValues(p, 'bh'), [0.02666666666666667, 0.05333333333333334, 0.05333333333333334, 0.02, 0.2285714285714286, 0.05333333333333334, 0.9, 0.0008], 1e-15)
  closeAll(adjustPValues([0.5, 0.02], 'bh'), [0.5, 0.04], 1e-15)
})

test('adjustPValues leaves null tests out of m, and none copies', () => {
  assert.deepEqual(adjustPValues([0.01, null, 0.02], 'holm'), [0.02, null, 0.02])
  assert.deepEqual(adjustPValues([0.01, null], 'none'), [0.01, null])
  assert.deepEqual(adjustPValues([], 'bh'), [])
})

test('srmTest equals scipy.stats.chisquare', () => {
  const a = srmTest([5000, 5100], [1, 1])
  near(a.chi2, 0.9900990099009901, 1e-14, 'chi2')
  near(a.p_value, 0.3197181768128675, 1e-13, 'p')
  assert.equal(a.mismatch, false)
  const b = srmTest([3333072, 3333564, 3333364], [1, 1, 1])
  near(b.chi2, 0.036732799999999996, 1e-9, 'chi2 3 arms')
  near(b.p_value, 0.9818012344750421, 1e-12, 'p 3 arms')
  const c = srmTest([1000, 1100, 900], [30, 40, 30])
  near(c.chi2, 19.444444444444443, 1e-14, 'chi2 split')
  near(c.p_value, 5.993665986784811e-5, 1e-12, 'p split')
  assert.equal(c.mismatch, true)
  const d = srmTest([10500, 9500], [50, 50])
  near(d.chi2, 50, 1e-14)
  near(d.p_value / 1.537459794428033e-12, 1, 1e-12, 'p tiny')
  // p = 0.0047 is suspicious but not below the 0.001 threshold
  assert.equal(srmTest([10200, 9800], [1, 1]).mismatch, false)
})

test('quantileLinear equals np.percentile (linear) bit for bit', () => {
  const x = Float64Array.from({length: 5000}, (_, i) => ((i * 7919) % 1009) * 0.37 + (i % 7) * 0.001)
  const want: [number, number][] = [
    [99.9, 372.59636600000005],
    [99, 369.2676600000001],
    [50, 186.4835],
    [0.1, 0.36963399999999985],
    [37.3, 139.124627],
    [100, 372.96599999999995],
    [0, 0],
  ]
  for (const [p, v] of want) assert.equal(quantileLinear(x, p / 100), v, `P${p}`)
  const small = Float64Array.from([2.1225877673757645, 3.075610044884715, 1.7056459721497543, 2.6853295907854884, 0.6195982620495166, 10.150912054308762, 0.029260879946252247, 8.42764728933235, 1.7259982690495912, 0.901602037664563, 1.6234076825646349, 0.9364368361522923])
  const smallWant: [number, number][] = [
    [99.9, 10.131956141894022],
    [50, 1.7158221205996727],
    [25, 0.92772813653036],
    [90, 7.892443564887589],
    [1, 0.09419799197761133],
  ]
  for (const [p, v] of smallWant) assert.equal(quantileLinear(small, p / 100), v, `small P${p}`)
  assert.equal(small[0], 2.1225877673757645, 'the input is not reordered')
  assert.equal(quantileLinear(Float64Array.of(1, 2, 3, 4), 0.999), 3.997)
  assert.ok(Number.isNaN(quantileLinear(new Float64Array(0), 0.5)))
  // all ties and sorted inputs stay linear-time (and right)
  assert.equal(quantileLinear(new Float64Array(100000).fill(7), 0.999), 7)
  assert.equal(quantileLinear(Float64Array.from({length: 100001}, (_, i) => i), 0.5), 50000)
})

test('orderStatistics of large inputs (histogram narrowing, no copy) equals sorting, with ties and heavy tails', () => {
  // seed 3; 1.1M values: mostly zeros (users without revenue), a log-normal body and a few whales
  let a = 3
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const n = 1_100_000
  const x = Float64Array.from({length: n}, () => {
    const u = rnd()
    if (u < 0.7) return 0
    if (u > 0.99999) return 1e6 * rnd()
    return Math.exp(3 * (rnd() - 0.5)) * Math.round(rnd() * 1000) / 100
  })
  const sorted = x.slice().sort()
  for (const q of [0.999, 0.5, 0.99999, 1]) {
    const h = (n - 1) * q
    const lo = Math.floor(h)
    const hi = Math.min(lo + 1, n - 1)
    assert.deepEqual(orderStatistics(x, lo, hi), [sorted[lo], sorted[hi]], `q ${q}`)
    const g = h - lo
    const d = sorted[hi] - sorted[lo]
    assert.equal(quantileLinear(x, q), g >= 0.5 ? sorted[hi] - d * (1 - g) : sorted[lo] + d * g, `quantile ${q}`)
  }
  const twoValues = Float64Array.from({length: 1_100_000}, (_, i) => (i % 2 === 0 ? 0 : 1))
  assert.deepEqual(orderStatistics(twoValues, 549_999, 550_000), [0, 1])
  assert.deepEqual(orderStatistics(new Float64Array(1_200_000).fill(-2), 5, 6), [-2, -2])
})

test('unitsPerArm equals statsmodels NormalIndPower.solve_power to 1e-12', () => {
  // NormalIndPower().solve_power(effect_size=mde*mean/sd, alpha=alpha/comparisons, power=0.8, ratio=1)
  near(unitsPerArm({mean: 0.05, variance: 0.0475, mde: 0.02, alpha: 0.05, power: 0.8}), 745641.7483859888, 1e-12)
  near(unitsPerArm({mean: 0.05, variance: 0.0475, mde: 0.1, alpha: 0.05, power: 0.8, comparisons: 2}), 36119.13539384478, 1e-12)
  near(unitsPerArm({mean: 36.9, variance: 4000, mde: 0.05, alpha: 0.05, power: 0.8}), 18446.070188852784, 1e-12)
})

test('relativeMde inverts unitsPerArm', () => {
  const o = {mean: 0.05, variance: 0.0475, alpha: 0.05, power: 0.8, comparisons: 3}
  near(relativeMde({...o, unitsPerArm: unitsPerArm({...o, mde: 0.03})}), 0.03, 1e-14)
})

test('welchDf of equal variances and sizes is 2n - 2', () => {
  near(welchDf(0.01, 50, 0.01, 50), 98, 1e-14)
  near(welchDf(1 / 10, 10, 4 / 20, 20), 27.981818181818184, 1e-14)
})
