import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT} from '../helpers/cli.js'
import {near} from '../helpers/assert.js'
import {auc, aucOfHistogram} from '../../src/metrics/auc.js'
import {averagePrecision} from '../../src/metrics/average-precision.js'
import {scoreHistogram} from '../../src/metrics/histogram.js'
import {probabilityMetrics} from '../../src/metrics/probability.js'
import {delongCovariance, delongTest, delongVariance, placements, aucInterval} from '../../src/metrics/delong.js'
import {groupAuc, groupIndex} from '../../src/metrics/gauc.js'

interface Case {
  id: string
  source: string
  label: number[]
  score?: number[]
  scores?: Record<string, number[]>
  weight?: number[]
  group?: number[]
  expect: Record<string, number | number[]>
}
const cases: Case[] = JSON.parse(readFileSync(join(ROOT, 'fixtures/vectors/classification.json'), 'utf8')).cases.filter((c: {users?: unknown}) => !c.users)
const f64 = (a: number[]) => Float64Array.from(a)
const u8 = (a: number[]) => Uint8Array.from(a)

for (const c of cases.filter((c) => c.score)) {
  test(`classification vector ${c.id} (${c.source})`, () => {
    const y = u8(c.label)
    const s = f64(c.score as number[])
    const w = c.weight ? f64(c.weight) : undefined
    const h = scoreHistogram(s, y, w)
    const e = c.expect
    if (e.auc !== undefined) near(aucOfHistogram(h), e.auc as number, 1e-15, 'auc')
    if (e.pr_auc !== undefined) near(averagePrecision(h), e.pr_auc as number, 1e-15, 'pr_auc')
    const p = probabilityMetrics(y, s, w)
    if (e.logloss !== undefined) near(p.logloss, e.logloss as number, 1e-14, 'logloss')
    if (e.brier !== undefined) near(p.brier, e.brier as number, 1e-15, 'brier')
    if (e.ne !== undefined) near(p.ne, e.ne as number, 1e-14, 'ne')
    if (e.calibration !== undefined) near(p.calibration, e.calibration as number, 1e-15, 'calibration')
    if (c.group) {
      const gid = Int32Array.from(c.group)
      const g = groupAuc(groupIndex(gid, Math.max(...c.group) + 1, y), y, s, w)
      if (e.gauc_unweighted !== undefined) near(g.gauc_unweighted, e.gauc_unweighted as number, 1e-15, 'gauc_unweighted')
      if (e.gauc_groups !== undefined) assert.equal(g.gauc_groups, e.gauc_groups)
    }
  })
}

for (const c of cases.filter((c) => c.scores)) {
  test(`DeLong vector ${c.id} (${c.source})`, () => {
    const y = u8(c.label)
    const [a, b] = Object.keys(c.scores as Record<string, number[]>)
    const sa = f64((c.scores as Record<string, number[]>)[a])
    const sb = f64((c.scores as Record<string, number[]>)[b])
    const ha = scoreHistogram(sa, y)
    const hb = scoreHistogram(sb, y)
    const A = {scores: sa, h: ha, pl: placements(ha), auc: aucOfHistogram(ha)}
    const B = {scores: sb, h: hb, pl: placements(hb), auc: aucOfHistogram(hb)}
    near(A.auc, c.expect[`auc_${a}`] as number, 1e-15, 'auc a')
    near(B.auc, c.expect[`auc_${b}`] as number, 1e-15, 'auc b')
    const va = delongVariance(ha, A.pl, A.auc)
    const vb = delongVariance(hb, B.pl, B.auc)
    near(va, c.expect[`var_${a}`] as number, 1e-12, 'var a')
    near(vb, c.expect[`var_${b}`] as number, 1e-12, 'var b')
    const cov = delongCovariance(y, A, B)
    near(cov, c.expect.cov as number, 1e-12, 'cov')
    const t = delongTest(A.auc, va, B.auc, vb, cov)
    near(Math.abs(t.z), c.expect.abs_z as number, 1e-6, '|z|')
    near(t.p_value, c.expect.p_value as number, 1e-6, 'p')
    if (c.expect[`auc_ci_${a}`]) {
      const ci = aucInterval(A.auc, Math.sqrt(va), 0.05)
      near(ci[0], (c.expect[`auc_ci_${a}`] as number[])[0], 1e-4, 'ci lo')
      near(ci[1], (c.expect[`auc_ci_${a}`] as number[])[1], 1e-12, 'ci hi')
    }
  })
}

test('auc(labels, scores) counts tied pairs as one half', () => {
  assert.equal(auc(u8([1, 0]), f64([0.5, 0.5])), 0.5)
})
