import type {ScoreCurves} from '../metrics/curves.js'

/**
 * The `--curves FILE.csv` text: the thinned ROC and PR operating points of every score, one row
 * per point (RFC 4180; score names are quoted when needed). Columns:
 *
 *   score, curve (roc | pr), threshold (predict positive when score >= threshold; "inf" for the
 *   ROC start where nothing is positive), tp, fp, fpr, tpr, recall (= tpr), precision (empty
 *   when nothing is predicted positive)
 *
 * Every value is a field of the result's `curves`, printed in full precision.
 */
export function curvesCsv(curves: Record<string, ScoreCurves>): string {
  const lines = ['score,curve,threshold,tp,fp,fpr,tpr,recall,precision']
  for (const [name, c] of Object.entries(curves)) {
    const q = csvField(name)
    for (const kind of ['roc', 'pr'] as const) {
      const k = c[kind]
      for (let i = 0; i < k.threshold.length; i++) {
        const t = k.threshold[i]
        const p = k.precision[i]
        lines.push(`${q},${kind},${t === null ? 'inf' : t},${k.tp[i]},${k.fp[i]},${k.fpr[i]},${k.tpr[i]},${k.tpr[i]},${p === null ? '' : p}`)
      }
    }
  }
  return lines.join('\n') + '\n'
}

/** Quote a CSV field when it holds a delimiter, a quote, a line break or edge spaces. */
export function csvField(s: string): string {
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
