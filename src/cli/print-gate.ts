import type {GateResult} from '../gate/result.js'
import {formatTable} from './format.js'

/** The human-readable form of a gate result: what was compared, one row per check, then why each failure failed. */
export function printGate(r: GateResult, names: {candidate: string; baseline?: string}): string {
  const out: string[] = [`candidate: ${names.candidate}`]
  if (names.baseline !== undefined) out.push(`baseline:  ${names.baseline}`)
  out.push('')
  const withTest = r.checks.some((c) => c.test !== undefined)
  const header = ['', 'path', 'rule', 'candidate', 'baseline', 'limit', ...(withTest ? ['p_value'] : [])]
  out.push(formatTable(header, r.checks.map((c) => [c.passed ? 'ok' : 'FAIL', c.path, c.rule, c.candidate, c.baseline, c.limit, ...(withTest ? [c.test ? c.test.p_value : null] : [])])))
  const failed = r.checks.filter((c) => !c.passed)
  // checks that crossed their limit but passed because the excess is not significant
  const forgiven = r.checks.filter((c) => c.passed && c.test && c.candidate !== null && c.limit !== null && (c.kind === 'max-drop' ? c.candidate < c.limit : c.candidate > c.limit))
  if (failed.length || forgiven.length) out.push('', ...failed.map((c) => `FAIL ${c.path}: ${c.reason}`), ...forgiven.map((c) => `ok   ${c.path}: ${c.reason}`))
  if (r.skipped.length) out.push('', 'skipped (a wildcard matched on one side only):', ...r.skipped.map((s) => `  ${s.path} (${s.rule}): ${s.reason}`))
  out.push('', r.passed ? `gate passed: ${r.checks.length} check${r.checks.length === 1 ? '' : 's'}` : `gate failed: ${failed.length} of ${r.checks.length} checks`)
  return out.join('\n')
}
