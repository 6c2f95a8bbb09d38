import {test} from 'node:test'
import assert from 'node:assert/strict'
import {near} from '../helpers/assert.js'
import {scoreHistogram} from '../../src/metrics/histogram.js'
import {aucOfHistogram} from '../../src/metrics/auc.js'
import {operatingCurve} from '../../src/metrics/operating-curve.js'
import {segmentDistance} from '../../src/metrics/thin.js'

// 12 rows with tied scores (0.4 three times, 0.55 twice). Expected points from scikit-learn 1.2.1:
//   roc_curve(y, s, drop_intermediate=False) and precision_recall_curve(y, s) (reversed, without
//   its artificial last point (recall 0, precision 1)); the same with sample_weight=w.
const y = Uint8Array.of(0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1)
const s = Float64Array.of(0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.2, 0.55, 0.55, 0.7, 0.05, 0.4)
const w = Float64Array.of(1, 2, 1, 0.5, 1, 1, 3, 1, 1, 2, 1, 1.5)

const close = (a: (number | null)[], b: number[], what: string) => {
  assert.equal(a.length, b.length, `${what}: length`)
  a.forEach((v, i) => near(v, b[i], 1e-15, `${what}[${i}]`))
}

test('operatingCurve(h, "roc") gives the example of its doc comment', () => {
  const c = operatingCurve(scoreHistogram(Float64Array.of(0.1, 0.4, 0.35, 0.8), Uint8Array.of(0, 0, 1, 1)), 'roc')
  assert.deepEqual(c.tpr, [0, 0.5, 0.5, 1, 1])
})

test('operatingCurve ROC points equal scikit-learn roc_curve(drop_intermediate=False)', () => {
  const c = operatingCurve(scoreHistogram(s, y), 'roc')
  close(c.fpr, [0.0, 0.0, 0.0, 0.0, 0.16666666666666666, 0.5, 0.5, 0.6666666666666666, 0.8333333333333334, 1.0], 'fpr')
  close(c.tpr, [0.0, 0.16666666666666666, 0.3333333333333333, 0.5, 0.6666666666666666, 0.8333333333333334, 1.0, 1.0, 1.0, 1.0], 'tpr')
  // scikit-learn writes max + 1 (1.9) for the start; receval writes null (+inf: nothing positive)
  assert.deepEqual(c.threshold, [null, 0.9, 0.8, 0.7, 0.55, 0.4, 0.35, 0.2, 0.1, 0.05])
  assert.deepEqual(c.tp, [0, 1, 2, 3, 4, 5, 6, 6, 6, 6])
  assert.deepEqual(c.fp, [0, 0, 0, 0, 1, 3, 3, 4, 5, 6])
  assert.equal(c.precision[0], null)
  assert.equal(c.exact_points, 10)
  assert.equal(c.max_error, 0)
})

test('operatingCurve PR points equal scikit-learn precision_recall_curve', () => {
  const c = operatingCurve(scoreHistogram(s, y), 'pr')
  close(c.precision as number[], [1.0, 1.0, 1.0, 0.8, 0.625, 0.6666666666666666, 0.6, 0.5454545454545454, 0.5], 'precision')
  close(c.tpr, [0.16666666666666666, 0.3333333333333333, 0.5, 0.6666666666666666, 0.8333333333333334, 1.0, 1.0, 1.0, 1.0], 'recall')
  assert.deepEqual(c.threshold, [0.9, 0.8, 0.7, 0.55, 0.4, 0.35, 0.2, 0.1, 0.05])
  assert.equal(c.exact_points, 9)
})

test('operatingCurve with weights equals scikit-learn with sample_weight', () => {
  const h = scoreHistogram(s, y, w)
  const roc = operatingCurve(h, 'roc')
  close(roc.fpr, [0.0, 0.0, 0.0, 0.0, 0.1111111111111111, 0.4444444444444444, 0.4444444444444444, 0.7777777777777778, 0.8888888888888888, 1.0], 'fpr')
  close(roc.tpr, [0.0, 0.14285714285714285, 0.21428571428571427, 0.5, 0.6428571428571429, 0.8571428571428571, 1.0, 1.0, 1.0, 1.0], 'tpr')
  const pr = operatingCurve(h, 'pr')
  close(pr.precision as number[], [1.0, 1.0, 1.0, 0.8181818181818182, 0.6, 0.6363636363636364, 0.5, 0.4666666666666667, 0.4375], 'precision')
})

test('the trapezoid area under the exact ROC points is the tie-aware AUC', () => {
  const h = scoreHistogram(s, y)
  const c = operatingCurve(h, 'roc')
  let area = 0
  for (let i = 1; i < c.fpr.length; i++) area += ((c.fpr[i] - c.fpr[i - 1]) * (c.tpr[i] + c.tpr[i - 1])) / 2
  near(area, aucOfHistogram(h), 1e-15, 'area')
})

/** A seeded large input: n rows with continuous scores (distinct) and ~10% positives. */
function large(n: number, seed: number): {scores: Float64Array; labels: Uint8Array} {
  let st = seed
  const rnd = () => ((st = (Math.imul(st, 1664525) + 1013904223) >>> 0) / 2 ** 32)
  const scores = new Float64Array(n)
  const labels = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const yy = rnd() < 0.1 ? 1 : 0
    labels[i] = yy
    scores[i] = rnd() * 0.7 + yy * rnd() * 0.4
  }
  return {scores, labels}
}

for (const kind of ['roc', 'pr'] as const) {
  test(`operatingCurve(${kind}) thins 100000 exact points to at most 1000, keeping both ends, and measures max_error exactly`, () => {
    const {scores, labels} = large(100000, 11)
    const h = scoreHistogram(scores, labels)
    const c = operatingCurve(h, kind, 1000)
    const full = operatingCurve(h, kind, Number.MAX_SAFE_INTEGER)
    assert.equal(full.threshold.length, full.exact_points)
    assert.equal(c.exact_points, full.exact_points)
    assert.ok(c.threshold.length <= 1000 && c.threshold.length > 500, `kept ${c.threshold.length}`)
    assert.deepEqual([c.threshold[0], c.tpr[0], c.fpr[0]], [full.threshold[0], full.tpr[0], full.fpr[0]])
    const L = c.threshold.length - 1
    const M = full.threshold.length - 1
    assert.deepEqual([c.threshold[L], c.tpr[L], c.fpr[L]], [full.threshold[M], full.tpr[M], full.fpr[M]])
    // every kept point is an exact point, and max_error is the farthest exact point from the polyline
    const X = (k: {fpr: number[]; tpr: number[]; precision: (number | null)[]}, i: number) => (kind === 'roc' ? k.fpr[i] : k.tpr[i])
    const Y = (k: {fpr: number[]; tpr: number[]; precision: (number | null)[]}, i: number) => (kind === 'roc' ? k.tpr[i] : (k.precision[i] as number))
    let j = 0
    let worst = 0
    const index = new Map(full.threshold.map((t, i) => [t, i]))
    for (let i = 0; i < c.threshold.length; i++) assert.ok(index.has(c.threshold[i]), 'kept point is exact')
    for (let i = 0; i <= M; i++) {
      while (j < L - 1 && (index.get(c.threshold[j + 1]) as number) <= i) j++
      worst = Math.max(worst, segmentDistance(X(full, i), Y(full, i), X(c, j), Y(c, j), X(c, j + 1), Y(c, j + 1)))
    }
    near(c.max_error, worst, 1e-12, 'max_error')
    assert.ok(c.max_error < 0.01, `max_error ${c.max_error}`)
  })
}

test('operatingCurve refuses a histogram with one class', () => {
  assert.throws(() => operatingCurve(scoreHistogram(Float64Array.of(0.1, 0.2), Uint8Array.of(1, 1)), 'roc'), /needs positives and negatives/)
})
