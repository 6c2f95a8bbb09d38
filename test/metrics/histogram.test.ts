import {test} from 'node:test'
import assert from 'node:assert/strict'
import {scoreHistogram} from '../../src/metrics/histogram.js'
import {groupAuc, groupAucOfIds, groupIndex} from '../../src/metrics/gauc.js'
import {computeStats, prewarmHistograms} from '../../src/metrics/parallel.js'

// A seeded LCG: reproducible data with many ties (scores on a grid of 200 values, some -0).
function data(n: number, seed: number) {
  let s = seed >>> 0
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32
  const scores = new Float64Array(n)
  const labels = new Uint8Array(n)
  const weights = new Float64Array(n)
  const ids = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const v = Math.floor(rnd() * 200) / 100 - 1
    scores[i] = v === 0 && rnd() < 0.5 ? -0 : v
    labels[i] = rnd() < 0.3 + 0.2 * v ? 1 : 0
    weights[i] = rnd() < 0.05 ? 0 : Math.round(rnd() * 40) / 8
    ids[i] = Math.floor(rnd() * 300)
  }
  return {scores, labels, weights, ids}
}

/** The histogram by definition: a Map from value to class counts, then sorted. */
function naive(scores: Float64Array, labels: Uint8Array, weights?: Float64Array) {
  const m = new Map<number, [number, number]>()
  scores.forEach((v, i) => {
    const w = weights ? weights[i] : 1
    if (w === 0) return
    const e = m.get(v === 0 ? 0 : v) ?? [0, 0]
    e[labels[i] === 1 ? 0 : 1] += w
    m.set(v === 0 ? 0 : v, e)
  })
  const values = [...m.keys()].sort((a, b) => a - b)
  return {values, pos: values.map((v) => (m.get(v) as [number, number])[0]), neg: values.map((v) => (m.get(v) as [number, number])[1])}
}

test('scoreHistogram in sorted runs (the large-input path) equals the definition, with ties, -0 and weights', () => {
  const {scores, labels, weights} = data(20000, 7)
  for (const w of [undefined, weights]) {
    const want = naive(scores, labels, w)
    for (const run of [undefined, 1000, 1337, 20000]) {
      const h = scoreHistogram(scores, labels, w, run)
      assert.deepEqual([...h.values], want.values, `values, run ${run}`)
      assert.deepEqual([...h.pos], want.pos, `pos, run ${run}`)
      assert.deepEqual([...h.neg], want.neg, `neg, run ${run}`)
      assert.equal(h.P, want.pos.reduce((a, b) => a + b, 0))
      assert.equal(h.N, want.neg.reduce((a, b) => a + b, 0))
    }
  }
})

test('groupAucOfIds (one score, no index) equals groupAuc over a GroupIndex', () => {
  const {scores, labels, weights, ids} = data(20000, 11)
  for (const w of [undefined, weights]) {
    const a = groupAuc(groupIndex(ids, 300, labels), labels, scores, w)
    const b = groupAucOfIds(ids, 300, labels, scores, w)
    assert.deepEqual(b, a)
    assert.ok(a.gauc !== null && a.gauc > 0.5 && a.gauc_groups > 250)
  }
  // many groups (the two-pass scatter by buckets of 1024 group ids), a last bucket only partly
  // used, and groups without rows
  const {scores: s2, labels: l2, weights: w2} = data(300000, 5)
  const groups = 70000
  const ids2 = new Int32Array(300000)
  let seed = 17
  for (let i = 0; i < ids2.length; i++) ids2[i] = ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % (groups - 100)) + (i % 2) * 50
  for (const w of [undefined, w2]) {
    const a = groupAuc(groupIndex(ids2, groups, l2), l2, s2, w)
    const b = groupAucOfIds(ids2, groups, l2, s2, w)
    assert.deepEqual(b, a)
    assert.ok(a.gauc_groups > 40000, `${a.gauc_groups} groups`)
  }
})

test('evaluateClassificationParallel (histograms on a compute thread) gives exactly the serial result', async () => {
  const {evaluateClassification, evaluateClassificationParallel} = await import('../../src/metrics/classification.js')
  const {KeyDict} = await import('../../src/io/table.js')
  const n = (1 << 20) + 5000
  const {scores, labels, weights, ids} = data(n, 3)
  // shared memory, as the two-thread reader leaves large columns (the condition for the thread)
  const shared = <T extends Float64Array | Uint8Array | Int32Array>(a: T): T => {
    const C = a.constructor as unknown as {new (b: SharedArrayBuffer): T}
    const out = new C(new SharedArrayBuffer(a.byteLength))
    out.set(a as never)
    return out
  }
  const dict = new KeyDict()
  for (let g = 0; g < 300; g++) dict.idOfInt(g)
  const s2 = shared(scores).map((v, i) => v + (ids[i] % 7) / 1000)
  const columns = new Map<string, never>([
    ['label', {kind: 'label', name: 'label', data: shared(labels)}],
    ['s1', {kind: 'float', name: 's1', data: shared(scores)}],
    ['s2', {kind: 'float', name: 's2', data: shared(s2)}],
    ['w', {kind: 'float', name: 'w', data: shared(weights)}],
    ['user', {kind: 'key', name: 'user', data: shared(ids), dict}],
  ] as never)
  const table = {source: {path: 'mem.csv', format: 'csv', bytes: 0}, header: ['label', 's1', 's2', 'w', 'user'], rows: n, dropped: 0, columns}
  for (const spec of [
    {label: 'label', scores: ['s1'], group: 'user'},
    {label: 'label', scores: ['s1', 's2'], group: 'user', ci: true},
    {label: 'label', scores: ['s1', 's2'], ci: true},
    {label: 'label', scores: ['s1', 's2'], weight: 'w', group: 'user'},
  ]) {
    const a = evaluateClassification(table as never, spec)
    // the thread started early (as `receval auc` does before reading a large file) is the one used
    const used = computeStats.warmUsed
    prewarmHistograms(n)
    const b = await evaluateClassificationParallel(table as never, spec)
    assert.equal(computeStats.warmUsed, used + 1)
    assert.deepEqual(JSON.parse(JSON.stringify(b.result)), JSON.parse(JSON.stringify(a.result)), JSON.stringify(spec))
  }
  // one score without groups: each thread takes half of the rows; with groups, the thread takes
  // 4/5 of them; the histograms are added: counts are exact, weight sums are added in another
  // order (equal to 1e-12)
  for (const spec of [
    {label: 'label', scores: ['s1'], ci: true, thresholds: [0, 0.5]},
    {label: 'label', scores: ['s2'], weight: 'w', thresholds: [0.25]},
    {label: 'label', scores: ['s2'], weight: 'w', group: 'user'},
  ]) {
    const a = evaluateClassification(table as never, spec)
    const used = computeStats.warmUsed
    prewarmHistograms(n)
    const b = await evaluateClassificationParallel(table as never, spec)
    assert.equal(computeStats.warmUsed, used + 1, 'the compute thread was used')
    assert.equal(b.detail.histograms.get(spec.scores[0])?.values.length, a.detail.histograms.get(spec.scores[0])?.values.length)
    if (!spec.weight) assert.deepEqual(JSON.parse(JSON.stringify(b.result)), JSON.parse(JSON.stringify(a.result)))
    else {
      const [ra, rb] = [a.result.scores.s2, b.result.scores.s2] as unknown as Record<string, unknown>[]
      for (const k of ['auc', 'pr_auc', 'logloss', 'ne', 'brier', 'calibration']) assert.ok(Math.abs((rb[k] as number) - (ra[k] as number)) <= 1e-12 * Math.abs(ra[k] as number), k)
      for (const k of ['gauc', 'gauc_unweighted', 'gauc_groups', 'gauc_groups_skipped']) assert.equal(rb[k], ra[k], k)
      assert.equal(b.result.positives, a.result.positives)
    }
  }
})
