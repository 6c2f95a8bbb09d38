import {test} from 'node:test'
import assert from 'node:assert/strict'
import {csvField, curvesCsv} from '../../src/cli/curves-csv.js'
import {scoreHistogram} from '../../src/metrics/histogram.js'
import {operatingCurve} from '../../src/metrics/operating-curve.js'
import {scoreDistribution} from '../../src/metrics/distribution.js'

test('curvesCsv writes every ROC then PR point of each score, inf for the ROC start, empty precision when undefined', () => {
  const h = scoreHistogram(Float64Array.of(0.1, 0.4, 0.35, 0.8), Uint8Array.of(0, 0, 1, 1))
  const c = {roc: operatingCurve(h, 'roc'), pr: operatingCurve(h, 'pr'), reliability: null, distribution: scoreDistribution(h)}
  assert.equal(
    curvesCsv({'a,"b"': c}),
    [
      'score,curve,threshold,tp,fp,fpr,tpr,recall,precision',
      '"a,""b""",roc,inf,0,0,0,0,0,',
      '"a,""b""",roc,0.8,1,0,0,0.5,0.5,1',
      '"a,""b""",roc,0.4,1,1,0.5,0.5,0.5,0.5',
      '"a,""b""",roc,0.35,2,1,0.5,1,1,0.6666666666666666',
      '"a,""b""",roc,0.1,2,2,1,1,1,0.5',
      '"a,""b""",pr,0.8,1,0,0,0.5,0.5,1',
      '"a,""b""",pr,0.4,1,1,0.5,0.5,0.5,0.5',
      '"a,""b""",pr,0.35,2,1,0.5,1,1,0.6666666666666666',
      '"a,""b""",pr,0.1,2,2,1,1,1,0.5',
      '',
    ].join('\n'),
  )
})

test('csvField quotes delimiters, quotes, line breaks and edge spaces only', () => {
  assert.equal(csvField('pctr'), 'pctr')
  assert.equal(csvField('a b'), 'a b')
  assert.equal(csvField(' a'), '" a"')
  assert.equal(csvField('a\nb'), '"a\nb"')
  assert.equal(csvField('<img src=x>'), '<img src=x>')
})
