import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT, receval} from '../helpers/cli.js'
import {near} from '../helpers/assert.js'

// Expected values: fixtures/reference/classification-expected.json, computed by
// fixtures/reference/make_expected.py with scikit-learn 1.2.1 and R pROC 1.18.
const ref = JSON.parse(readFileSync(join(ROOT, 'fixtures/reference/classification-expected.json'), 'utf8'))

interface Case {
  file: string
  weight?: string
  scores: Record<string, Record<string, number>>
  gauc?: Record<string, Record<string, number>>
  delong?: Record<string, {var: number; z?: number; p?: number}>
  thresholds?: Record<string, Record<string, number>>
}

for (const [id, c] of Object.entries(ref.cases as Record<string, Case>)) {
  test(`receval auc matches scikit-learn 1.2.1 / pROC 1.18 on ${id} (${c.file})`, () => {
    const names = Object.keys(c.scores)
    const args = ['auc', c.file, ...names.flatMap((s) => ['--score', s]), '--json']
    if (c.weight) args.push('--weight', c.weight)
    if (c.gauc) args.push('--group', 'user_id')
    if (c.delong) args.push('--ci')
    if (c.thresholds) args.push('--thresholds', Object.keys(c.thresholds).join(','))
    const r = receval(args)
    assert.equal(r.code, 0, r.stderr)
    const j = r.json as {scores: Record<string, Record<string, unknown>>; comparisons?: {b: string; z: number; p_value: number}[]}
    for (const s of names) {
      const got = j.scores[s]
      for (const [k, v] of Object.entries(c.scores[s])) near(got[k], v, 1e-12, `${id} ${s}.${k}`)
      if (!('logloss' in c.scores[s])) assert.equal(got.logloss, null, 'logloss is null outside [0, 1]')
      for (const [k, v] of Object.entries(c.gauc?.[s] ?? {})) near(got[k], v, 1e-12, `${id} ${s}.${k}`)
      const d = c.delong?.[s]
      if (d) near((got.auc_se as number) ** 2, d.var, 1e-10, `${id} ${s} DeLong variance`)
      if (d?.z !== undefined) {
        const cmp = (j.comparisons ?? []).find((x) => x.b === s)
        assert.ok(cmp, `comparison for ${s}`)
        near(Math.abs(cmp.z), Math.abs(d.z), 1e-9, `${id} ${s} |z|`)
        near(cmp.p_value, d.p as number, 1e-6, `${id} ${s} p`)
        assert.ok(Math.abs(cmp.p_value - (d.p as number)) <= 1e-9 * Math.max(d.p as number, 1e-300) + 1e-15, `${id} ${s} p relative`)
      }
    }
    if (c.thresholds) {
      const rows = j.scores[names[0]].thresholds as {threshold: number; tp: number; fp: number; tn: number; fn: number}[]
      for (const row of rows) {
        const want: Record<string, number> = (c.thresholds as Record<string, Record<string, number>>)[String(row.threshold)]
        assert.deepEqual({tp: row.tp, fp: row.fp, tn: row.tn, fn: row.fn}, want, `confusion at ${row.threshold}`)
      }
    }
  })
}
