import {test} from 'node:test'
import assert from 'node:assert/strict'
import {near} from '../helpers/assert.js'
import {emptyMoments, groupMoments, mergeMoments, metricMoments, momentsFromSums} from '../../src/stats/moments.js'
import {ratioOf, ratioVariance, unitVariance} from '../../src/stats/delta-method.js'
import {cupedAdjusted, cupedTheta, pooledCovariateMean} from '../../src/stats/cuped.js'
import {welchCompare} from '../../src/stats/two-sample.js'

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const gauss = (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())

test('groupMoments centres its second moments and matches the raw-sum formulas', () => {
  const g = Int32Array.of(0, 0, 1, 1, 1, -1)
  const y = Float64Array.of(1, 3, 2, 2, 5, 100)
  const x = Float64Array.of(2, 2, 1, 3, 4, 100)
  const [a, b] = groupMoments(g, 2, y, 10, x, null)
  assert.equal(a.n, 2)
  near(a.sumY, 40, 1e-15)
  near(a.cYY, 200, 1e-15)
  near(a.cXX, 0, 1e-15)
  const raw = momentsFromSums({n: 3, sumY: 90, sumY2: 20 * 20 + 20 * 20 + 50 * 50, sumX: 8, sumX2: 1 + 9 + 16, sumXY: 20 + 60 + 200})
  for (const k of ['cYY', 'cXX', 'cXY'] as const) near(b[k], raw[k], 1e-13, k)
  // rows of the subset only
  const [s] = groupMoments(g, 2, y, 1, x, null, Int32Array.of(0))
  assert.equal(s.n, 1)
  assert.equal(s.cYY, 0)
})

test('mergeMoments of two halves equals the moments of the whole (shards)', () => {
  const r = mulberry32(1)
  const n = 1000
  const y = Float64Array.from({length: n}, () => 1e6 + gauss(r))
  const x = Float64Array.from({length: n}, () => 3 + r())
  const z = Float64Array.from({length: n}, () => gauss(r))
  const all = groupMoments(new Int32Array(n), 1, y, 1, x, z)[0]
  const half = Int32Array.from({length: n}, (_, i) => (i < 400 ? 0 : 1))
  const [a, b] = groupMoments(half, 2, y, 1, x, z)
  const m = mergeMoments(a, b)
  for (const k of ['n', 'sumY', 'sumX', 'sumZ', 'cYY', 'cXX', 'cXY', 'cZZ', 'cYZ', 'cXZ'] as const) near(m[k], all[k], 1e-9, k)
  assert.deepEqual(mergeMoments(emptyMoments(), a), a)
})

test('ratioVariance of a mean is s^2 / n, and unitVariance is s^2', () => {
  const m = momentsFromSums({n: 4, sumY: 10, sumY2: 30, sumX: 4, sumX2: 4, sumXY: 10})
  near(ratioOf(m), 2.5, 1e-15)
  near(ratioVariance(m), (30 - 25) / 3 / 4, 1e-15)
  near(unitVariance(m), 5 / 3, 1e-15)
  assert.ok(Number.isNaN(ratioVariance(momentsFromSums({n: 1, sumY: 1, sumY2: 1, sumX: 1, sumX2: 1, sumXY: 1}))))
})

test('CUPED on correlated data: the delta is the OLS treatment effect and the variance falls by about rho^2', () => {
  // seed 7; y = 2 z + noise (corr(y, z) = 2 / sqrt(5) ~ 0.894), treatment adds 0.1
  const r = mulberry32(7)
  const n = 20000
  const arm = new Int32Array(n)
  const y = new Float64Array(n)
  const z = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    arm[i] = r() < 0.5 ? 0 : 1
    z[i] = gauss(r)
    y[i] = 2 * z[i] + gauss(r) + (arm[i] === 1 ? 0.1 : 0)
  }
  const per = groupMoments(arm, 2, y, 1, null, z)
  const theta = cupedTheta(per)
  const zAll = pooledCovariateMean(per)
  const c = cupedAdjusted(per[0], theta, zAll)
  const t = cupedAdjusted(per[1], theta, zAll)
  const plain = welchCompare({value: ratioOf(per[0]), variance: ratioVariance(per[0]), n: per[0].n}, {value: ratioOf(per[1]), variance: ratioVariance(per[1]), n: per[1].n}, 0.05)
  const adj = welchCompare({...c, n: per[0].n}, {...t, n: per[1].n}, 0.05)
  const reduction = 1 - adj.se ** 2 / plain.se ** 2
  near(theta, 2, 0.02, 'theta')
  near(reduction, 0.8, 0.02, 'variance reduction')
  // OLS y ~ 1 + treat + z: its treatment coefficient, from the same data by normal equations
  let s1 = 0, st = 0, sz = 0, stt = 0, stz = 0, szz = 0, sy = 0, sty = 0, szy = 0
  for (let i = 0; i < n; i++) {
    const ti = arm[i]
    s1++
    st += ti
    sz += z[i]
    stt += ti * ti
    stz += ti * z[i]
    szz += z[i] * z[i]
    sy += y[i]
    sty += ti * y[i]
    szy += z[i] * y[i]
  }
  const A = [
    [s1, st, sz],
    [st, stt, stz],
    [sz, stz, szz],
  ]
  const bvec = [sy, sty, szy]
  const det = (m: number[][]) => m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
  const Ab = A.map((row, i) => row.map((v, j) => (j === 1 ? bvec[i] : v)))
  near(adj.delta, det(Ab) / det(A), 1e-9, 'delta = OLS treatment coefficient')
  assert.ok(adj.p_value !== null && plain.p_value !== null && adj.p_value < plain.p_value)
})

test('cupedTheta is 0 when the covariate is constant', () => {
  const per = groupMoments(Int32Array.of(0, 0, 1, 1), 2, Float64Array.of(1, 2, 3, 4), 1, null, Float64Array.of(5, 5, 5, 5))
  assert.equal(cupedTheta(per), 0)
})

test('metricMoments of several metrics (plain and strided columns) equals groupMoments per metric', () => {
  const r = mulberry32(11)
  const n = 5000
  const g = Int32Array.from({length: n}, () => (r() < 0.1 ? -1 : Math.floor(r() * 3)))
  const clk = Float64Array.from({length: n}, () => Math.floor(r() * 4))
  const imp = Float64Array.from({length: n}, () => 1 + Math.floor(r() * 30))
  const cost = Float64Array.from({length: n}, () => r() * 2)
  const pre = Float64Array.from({length: n}, () => gauss(r))
  // the same three columns interleaved: [clk, imp, cost] per row
  const inter = new Float64Array(3 * n)
  for (let i = 0; i < n; i++) [inter[3 * i], inter[3 * i + 1], inter[3 * i + 2]] = [clk[i], imp[i], cost[i]]
  const strided = (offset: number) => ({data: inter, stride: 3, offset})
  const specs = [
    {y: clk, scale: 1, x: imp, z: pre},
    {y: cost, scale: 1000, x: imp, z: null},
    {y: cost, scale: 1, x: null, z: pre},
  ]
  const plain = metricMoments(g, 3, specs)
  const viaStride = metricMoments(g, 3, [
    {y: strided(0), scale: 1, x: strided(1), z: pre},
    {y: strided(2), scale: 1000, x: strided(1), z: null},
    {y: strided(2), scale: 1, x: null, z: pre},
  ])
  const rows = Int32Array.from({length: 2000}, (_, k) => k * 2)
  const subset = metricMoments(g, 3, specs, rows)
  specs.forEach((m, i) => {
    const want = groupMoments(g, 3, m.y, m.scale, m.x, m.z)
    const wantSubset = groupMoments(g, 3, m.y, m.scale, m.x, m.z, rows)
    for (let a = 0; a < 3; a++) {
      for (const k of ['n', 'sumY', 'sumX', 'sumZ', 'cYY', 'cXX', 'cXY', 'cZZ', 'cYZ', 'cXZ'] as const) {
        near(plain[i][a][k], want[a][k], 1e-12, `metric ${i} arm ${a} ${k}`)
        near(viaStride[i][a][k], want[a][k], 1e-12, `strided metric ${i} arm ${a} ${k}`)
        near(subset[i][a][k], wantSubset[a][k], 1e-12, `rows metric ${i} arm ${a} ${k}`)
      }
    }
  })
})

test('metricMoments stays exact when its sampled shift misses a group (the two-pass fallback)', () => {
  // 100,000 rows of group 0 around 0; group 1 is three rows of 1e8 + {1, 2, 3} between the
  // evenly spaced sample positions, so its shift is 0, 1e8 standard deviations from its mean
  const n = 100_000
  const g = new Int32Array(n)
  const y = Float64Array.from({length: n}, (_, i) => (i % 7) - 3)
  for (const [k, v] of [[1, 1e8 + 1], [2, 1e8 + 2], [3, 1e8 + 3]]) {
    g[k] = 1
    y[k] = v
  }
  const [m] = metricMoments(g, 2, [{y, scale: 1, x: null, z: null}])
  assert.equal(m[1].n, 3)
  near(m[1].cYY, 2, 1e-12, 'cYY of the rare group')
  near(m[1].sumY, 3e8 + 6, 1e-15)
  const want = groupMoments(g, 2, y, 1, null, null)
  near(m[0].cYY, want[0].cYY, 1e-12)
})

test('metricMoments sums whole numbers exactly (a ratio of counts equals the ratio of the exact totals, as a warehouse SUM gives it)', () => {
  // seeded LCG; 1M units in 2 arms with 1..40 impressions and 0..2 clicks: totals far below 2^53
  const n = 1_000_000
  const y = new Float64Array(n)
  const x = new Float64Array(n)
  const g = new Int32Array(n)
  let seed = 12345
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
  const total = [
    [0, 0],
    [0, 0],
  ]
  for (let i = 0; i < n; i++) {
    g[i] = i % 2
    x[i] = 1 + Math.floor(rnd() * 40)
    y[i] = Math.floor(rnd() * 3)
    total[g[i]][0] += y[i]
    total[g[i]][1] += x[i]
  }
  const m = metricMoments(g, 2, [{y, scale: 1, x, z: null}])[0]
  for (const a of [0, 1]) {
    assert.equal(m[a].sumY, total[a][0], `arm ${a} clicks`)
    assert.equal(m[a].sumX, total[a][1], `arm ${a} impressions`)
    assert.equal(ratioOf(m[a]), total[a][0] / total[a][1])
  }
})
