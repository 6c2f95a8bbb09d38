import {test} from 'node:test'
import assert from 'node:assert/strict'
import {groupMoments} from '../../src/stats/moments.js'
import {ratioOf, ratioVariance} from '../../src/stats/delta-method.js'
import {welchCompare} from '../../src/stats/two-sample.js'
import {normalCdf} from '../../src/stats/normal.js'

/**
 * A/A simulation: users are randomized, impressions are not. Each simulated user has their own
 * click propensity (0.05 Z^2, mean 5%, very uneven), impression count (1 + geometric, mean 20)
 * and cost per click (log-normal). Both arms come from the same distribution, so a correct 5%
 * test rejects in about 5% of experiments. The delta-method tests on user-level sums do; the
 * textbook impression-level tests treat the impressions of one user as independent and reject
 * far more often. Seed 20240601, 400 experiments of 2000 users.
 */
const SEED = 20240601
const EXPERIMENTS = 400
const USERS = 2000

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

test(`A/A (seed ${SEED}): delta-method CTR and CPM reject near 5%, impression-level tests far more`, () => {
  const rnd = mulberry32(SEED)
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd())
  const arm = new Int32Array(USERS)
  const imp = new Float64Array(USERS)
  const clk = new Float64Array(USERS)
  const cost = new Float64Array(USERS)
  const costSq = new Float64Array(USERS)
  let delta = {ctr: 0, cpm: 0}
  const naive = {ctr: 0, cpm: 0}
  for (let e = 0; e < EXPERIMENTS; e++) {
    for (let u = 0; u < USERS; u++) {
      arm[u] = rnd() < 0.5 ? 0 : 1
      const z = gauss()
      const p = Math.min(0.9, 0.05 * z * z)
      const n = 1 + Math.floor(Math.log(1 - rnd()) / Math.log(1 - 1 / 20))
      // Binomial(n, p) clicks by geometric gaps between clicks: O(clicks) draws, not O(n)
      let k = 0
      const lq = Math.log(1 - p)
      for (let pos = Math.floor(Math.log(1 - rnd()) / lq); pos < n; pos += 1 + Math.floor(Math.log(1 - rnd()) / lq)) k++
      const cpc = Math.exp(-0.5 + 0.8 * gauss())
      imp[u] = n
      clk[u] = k
      cost[u] = k * cpc
      costSq[u] = k * cpc * cpc // sum over this user's impressions of (impression revenue)^2
    }
    // delta method on user-level sums (what receval ab does)
    for (const [name, y, scale] of [
      ['ctr', clk, 1],
      ['cpm', cost, 1000],
    ] as const) {
      const [c, t] = groupMoments(arm, 2, y, scale, imp, null)
      const r = welchCompare({value: ratioOf(c), variance: ratioVariance(c), n: c.n}, {value: ratioOf(t), variance: ratioVariance(t), n: t.n}, 0.05)
      if ((r.p_value as number) < 0.05) delta = {...delta, [name]: delta[name] + 1}
    }
    // impression-level tests: every impression an independent observation
    const s = [0, 1].map((a) => {
      let I = 0, C = 0, R = 0, R2 = 0
      for (let u = 0; u < USERS; u++) {
        if (arm[u] !== a) continue
        I += imp[u]
        C += clk[u]
        R += cost[u]
        R2 += costSq[u]
      }
      return {I, C, R, R2}
    })
    const pooled = (s[0].C + s[1].C) / (s[0].I + s[1].I)
    const zCtr = (s[1].C / s[1].I - s[0].C / s[0].I) / Math.sqrt(pooled * (1 - pooled) * (1 / s[0].I + 1 / s[1].I))
    const v = s.map((a) => (a.R2 - (a.R * a.R) / a.I) / (a.I - 1) / a.I)
    const zCpm = (s[1].R / s[1].I - s[0].R / s[0].I) / Math.sqrt(v[0] + v[1])
    if (2 * normalCdf(-Math.abs(zCtr)) < 0.05) naive.ctr++
    if (2 * normalCdf(-Math.abs(zCpm)) < 0.05) naive.cpm++
  }
  const rate = (k: number) => k / EXPERIMENTS
  const summary = `delta CTR ${rate(delta.ctr)}, delta CPM ${rate(delta.cpm)}, naive CTR ${rate(naive.ctr)}, naive CPM ${rate(naive.cpm)}`
  process.stdout.write(`# A/A rejection rates at alpha 0.05 over ${EXPERIMENTS} experiments: ${summary}\n`)
  // 400 experiments: a true 5% test lands in [2.5%, 8%] with probability > 99%
  assert.ok(rate(delta.ctr) >= 0.025 && rate(delta.ctr) <= 0.08, summary)
  assert.ok(rate(delta.cpm) >= 0.025 && rate(delta.cpm) <= 0.08, summary)
  assert.ok(rate(naive.ctr) >= 0.2, summary)
  assert.ok(rate(naive.cpm) >= 0.2, summary)
})
