import {test} from 'node:test'
import assert from 'node:assert/strict'
import {near} from '../helpers/assert.js'
import {logBeta, regularizedBeta, regularizedBetaComplement} from '../../src/stats/beta.js'
import {gammaP, gammaQ, logGamma} from '../../src/stats/gamma.js'
import {chiSquareSf} from '../../src/stats/chi-square.js'
import {cupedAdjusted, cupedTheta} from '../../src/stats/cuped.js'
import {ratioOf, ratioVariance, unitVariance} from '../../src/stats/delta-method.js'
import {groupMoments, mergeMoments, metricMoments, momentsFromSums} from '../../src/stats/moments.js'
import {adjustPValues} from '../../src/stats/multiple-testing.js'
import {pairedDays} from '../../src/stats/paired.js'
import {relativeMde, unitsPerArm} from '../../src/stats/power.js'
import {orderStatistics, quantileLinear} from '../../src/stats/quantile.js'
import {confidenceSequence, sequentialRho} from '../../src/stats/sequential.js'
import {srmTest} from '../../src/stats/srm.js'
import {tCdf, tPdf, tQuantile, tSf, tTwoSided} from '../../src/stats/student-t.js'
import {compareEstimates, welchCompare} from '../../src/stats/two-sample.js'
import {welchDf} from '../../src/stats/welch.js'

// The @example of every exported function in src/stats, as written in its doc comment.
const M = {n: 3, sumY: 6, sumX: 3, sumZ: 3, cYY: 8, cXX: 0, cXY: 0, cZZ: 2, cYZ: 4, cXZ: 0}
const MEAN = {n: 3, sumY: 3, sumX: 3, sumZ: 0, cYY: 2, cXX: 0, cXY: 0, cZZ: 0, cYZ: 0, cXZ: 0}

test('src/stats doc examples hold', () => {
  near(logBeta(2, 3), -2.4849066497879986, 1e-15)
  near(regularizedBeta(0.5, 2, 3), 0.6875, 1e-15)
  near(regularizedBetaComplement(0.5, 2, 3), 0.3125, 1e-15)
  near(logGamma(0.5), 0.5723649429247, 1e-15)
  near(gammaP(1, 1), 0.6321205588285578, 1e-15)
  near(gammaQ(1, 1), 0.3678794411714422, 1e-15)
  near(chiSquareSf(3.841458820694124, 1), 0.05000000000000011, 1e-15)
  near(cupedTheta([M]), 2, 1e-15)
  assert.deepEqual(cupedAdjusted(M, 2, 1), {value: 2, variance: 0})
  near(ratioOf({...MEAN, sumY: 1, sumX: 4, n: 2, cYY: 0}), 0.25, 0)
  near(ratioVariance(MEAN), 0.3333333333333333, 1e-15)
  near(unitVariance(MEAN), 1, 1e-15)
  near(momentsFromSums({n: 2, sumY: 3, sumY2: 5, sumX: 2, sumX2: 2, sumXY: 3}).cYY, 0.5, 1e-15)
  near(mergeMoments(momentsFromSums({n: 1, sumY: 1, sumY2: 1, sumX: 1, sumX2: 1, sumXY: 1}), momentsFromSums({n: 1, sumY: 3, sumY2: 9, sumX: 1, sumX2: 1, sumXY: 3})).cYY, 2, 1e-15)
  near(groupMoments(Int32Array.of(0, 0, 1, 1), 2, Float64Array.of(1, 3, 2, 2), 1, null, null)[0].cYY, 2, 1e-15)
  near(metricMoments(Int32Array.of(0, 0, 1, 1), 2, [{y: Float64Array.of(1, 3, 2, 2), scale: 1, x: null, z: null}])[0][0].cYY, 2, 1e-15)
  assert.deepEqual(adjustPValues([0.01, 0.04, 0.03], 'holm'), [0.03, 0.06, 0.06])
  near(pairedDays(Float64Array.of(1, 2, 3), Float64Array.of(1.5, 2.4, 3.7), 0.05).p_value, 0.026271008879704787, 1e-14)
  near(unitsPerArm({mean: 0.05, variance: 0.0475, mde: 0.1, alpha: 0.05, power: 0.8}), 29825.66993543954, 1e-14)
  near(relativeMde({mean: 0.05, variance: 0.0475, unitsPerArm: 29826, alpha: 0.05, power: 0.8}), 0.09999944668163079, 1e-14)
  assert.equal(quantileLinear(Float64Array.of(1, 2, 3, 4), 0.999), 3.997)
  assert.deepEqual(orderStatistics(Float64Array.of(5, 1, 4, 2, 3), 1, 2), [2, 3])
  near(sequentialRho(0.05, 5000), 0.03984006677137368, 1e-15)
  const cs = confidenceSequence(0.0025, 0.00000951, 20000, 0.05, 5000)
  near(cs.ci[0], -0.007143484622862449, 1e-14)
  near(cs.ci[1], 0.01214348462286245, 1e-14)
  assert.equal(cs.p_value, 1)
  near(srmTest([5000, 5100], [1, 1]).p_value, 0.31971817681286996, 1e-14)
  near(tSf(2.0, 10), 0.03669401738537019, 1e-15)
  near(tCdf(2.0, 10), 0.9633059826146299, 1e-15)
  near(tTwoSided(2.0, 10), 0.07338803477074038, 1e-15)
  near(tPdf(0, 1), 0.3183098861837907, 1e-15)
  near(tQuantile(0.975, 10), 2.228138851986274, 1e-15)
  near(compareEstimates({control: 1, treatment: 1.1, varDelta: 0.0025, varControl: 0.00125, varTreatment: 0.00125, df: 100, alpha: 0.05}).p_value, 0.04821217873113349, 1e-14)
  near(welchCompare({value: 0.5, variance: 0.001, n: 100}, {value: 0.6, variance: 0.001, n: 100}, 0.05).df, 198, 1e-14)
  near(welchDf(1 / 10, 10, 4 / 20, 20), 27.981818181818184, 1e-15)
})
