import {AucResult} from '../metrics/classification.js'
import {Cell, fmt, formatTable} from './format.js'

/** The human-readable form of an `auc` result. */
export function printAuc(r: AucResult): string {
  const out: string[] = []
  const w = r.columns.weight ? ' (weighted)' : ''
  out.push(`${r.file}: ${r.rows} rows${r.dropped_rows ? ` (${r.dropped_rows} dropped)` : ''}, ${fmt(r.positives)} positives, ${fmt(r.negatives)} negatives${w}; label ${r.columns.label}`)
  out.push('')
  const names = Object.keys(r.scores)
  const any = (k: string) => names.some((n) => (r.scores[n] as unknown as Record<string, unknown>)[k] !== undefined)
  const header = ['score', 'auc']
  if (any('auc_error_bound')) header.push('auc_error_bound')
  if (any('auc_se')) header.push('auc_se', 'auc_ci')
  header.push('pr_auc', 'logloss', 'ne', 'brier', 'calibration')
  if (any('gauc')) header.push('gauc', 'gauc_unweighted', 'groups', 'skipped')
  const rows: Cell[][] = names.map((n) => {
    const s = r.scores[n]
    const row: Cell[] = [n, s.auc]
    if (any('auc_error_bound')) row.push((s as {auc_error_bound?: number}).auc_error_bound)
    if (any('auc_se')) row.push(s.auc_se, s.auc_ci ? `[${fmt(s.auc_ci[0], 4)}, ${fmt(s.auc_ci[1], 4)}]` : null)
    row.push(s.pr_auc, s.logloss, s.ne, s.brier, s.calibration)
    if (any('gauc')) row.push(s.gauc, s.gauc_unweighted, s.gauc_groups, s.gauc_groups_skipped)
    return row
  })
  out.push(formatTable(header, rows))
  if (r.comparisons?.length) {
    out.push('', 'paired DeLong (b - a):')
    out.push(formatTable(['a', 'b', 'delta', 'se', 'z', 'p_value'], r.comparisons.map((c) => [c.a, c.b, c.delta, c.se, c.z, c.p_value])))
  }
  for (const n of names) {
    const t = r.scores[n].thresholds
    if (!t) continue
    out.push('', `thresholds for ${n} (positive when score >= threshold):`)
    out.push(formatTable(['threshold', 'tp', 'fp', 'tn', 'fn', 'tpr', 'fpr', 'tnr', 'fnr', 'precision', 'npv', 'f1', 'accuracy'], t.map((x) => [x.threshold, x.tp, x.fp, x.tn, x.fn, x.tpr, x.fpr, x.tnr, x.fnr, x.precision, x.npv, x.f1, x.accuracy])))
  }
  return out.join('\n')
}
