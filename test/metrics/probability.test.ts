import {test} from 'node:test'
import {near} from '../helpers/assert.js'
import {probabilityFromHistogram, probabilityMetrics} from '../../src/metrics/probability.js'
import {scoreHistogram} from '../../src/metrics/histogram.js'

test('probabilityFromHistogram equals the row-by-row definition (weighted and not; seed 3)', () => {
  let x = 3
  const r = () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 4294967296
  }
  const n = 20000
  const s = Float64Array.from({length: n}, () => Math.round(r() * 1000) / 1000)
  const y = Uint8Array.from(s, (v) => (r() < v ? 1 : 0))
  const w = Float64Array.from({length: n}, () => r() * 3)
  for (const weights of [undefined, w]) {
    const a = probabilityMetrics(y, s, weights)
    const b = probabilityFromHistogram(scoreHistogram(s, y, weights))
    for (const k of ['logloss', 'ne', 'brier', 'calibration'] as const) near(b[k], a[k] as number, 1e-12, k)
  }
})
