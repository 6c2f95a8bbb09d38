import {UsageError} from '../cli/errors.js'
import {marginZTest} from '../stats/z-test.js'
import {formatPath, getPath, Match, matchPath} from '../results/paths.js'
import {Rule, RuleKind} from './rules.js'

/** A side of the comparison: a result object and how to name it in messages. */
export interface GateSide {
  label: string
  result: unknown
}

/** The significance test behind a --max-drop / --max-rise check (with --significance). */
export interface CheckTest {
  alpha: number
  candidate_se: number
  baseline_se: number
  /** sqrt(candidate_se^2 + baseline_se^2) */
  se: number
  /** (observed drop or rise - tolerance) / se */
  z: number
  /** one-sided p-value of H0 "the true drop (rise) is within the tolerance" */
  p_value: number
}

/** One checked value. */
export interface Check {
  /** the rule as typed: "--max-drop scores.*.auc=0.01" */
  rule: string
  kind: RuleKind
  /** the concrete path checked */
  path: string
  candidate: number | null
  /** the baseline's value at the path (null without a baseline, or when it is null there) */
  baseline: number | null
  /** the bound the candidate was held to: baseline - tolerance, baseline + tolerance, or the --min / --max value */
  limit: number | null
  passed: boolean
  /** with --significance on --max-drop / --max-rise: the test, or null when either side lacks a standard error */
  test?: CheckTest | null
  /** one line saying why it passed or failed */
  reason: string
}

/** A path a wildcard matched on one side only: not checked, listed so nothing passes silently. */
export interface Skipped {
  rule: string
  path: string
  reason: string
}

export interface GateOutcome {
  passed: boolean
  checks: Check[]
  skipped: Skipped[]
}

export interface GateOptions {
  /** --significance: the level of the one-sided test on --max-drop / --max-rise rules */
  significance?: number
}

/**
 * Two floats closer than this (relative to max(1, |limit|)) are equal: `0.72 - 0.02` is
 * 0.7000000000000001 in binary, and a candidate of exactly 0.70 must pass a 0.02 tolerance.
 */
export const LIMIT_TOLERANCE = 1e-12

/** The sibling holding a metric's standard error: `scores.pctr.auc` -> `scores.pctr.auc_se`. */
export function standardErrorPath(path: readonly string[]): string[] {
  return [...path.slice(0, -1), path[path.length - 1] + '_se']
}

type Numeric = {ok: true; value: number | null} | {ok: false; type: string}

/** Numbers as they are, booleans as 1 / 0, null as an undefined metric; anything else is not a metric. */
function numeric(v: unknown): Numeric {
  if (typeof v === 'number') return {ok: true, value: Number.isFinite(v) ? v : null}
  if (typeof v === 'boolean') return {ok: true, value: v ? 1 : 0}
  if (v === null) return {ok: true, value: null}
  return {ok: false, type: Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`}
}

/** "scores has: a, b, c" for the deepest existing prefix of a path that matched nothing. */
function suggestion(root: unknown, segments: readonly string[], wild: readonly boolean[]): string {
  let depth = 0
  let v: unknown = root
  while (depth < segments.length && !wild[depth]) {
    const c = getPath(v, [segments[depth]])
    if (!c.found) break
    v = c.value
    depth++
  }
  if (v === null || typeof v !== 'object') return ''
  const keys = Array.isArray(v) ? v.map((_, i) => String(i)) : Object.keys(v)
  if (keys.length === 0) return ''
  const where = depth === 0 ? 'the result' : formatPath(segments.slice(0, depth))
  return `; ${where} has: ${keys.slice(0, 12).join(', ')}${keys.length > 12 ? ', ...' : ''}`
}

/**
 * Compact numbers for messages: 6 significant digits, more only where two values that differ
 * by more than LIMIT_TOLERANCE would otherwise print alike (so 0.14 + 1% shows as 0.1414).
 */
export function numbers(...xs: number[]): string[] {
  const differ = (a: number, b: number) => Math.abs(a - b) > LIMIT_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b))
  for (let p = 6; p < 17; p++) {
    const s = xs.map((x) => String(Number(x.toPrecision(p))))
    if (xs.every((a, i) => xs.every((b, j) => !differ(a, b) || s[i] !== s[j]))) return s
  }
  return xs.map(String)
}

/**
 * Evaluate gate rules on a candidate result against an optional baseline.
 *
 * 1. expand each rule's path on the candidate (`*` = any one segment); a literal path must
 *    exist and hold a number (or boolean, or null); a wildcard keeps numeric matches
 * 2. for --max-drop / --max-rise, pair each match with the baseline's value at the same path;
 *    wildcard matches found on one side only are skipped (and listed); a literal one is an error
 * 3. compute the limit and compare; with `significance`, a --max-drop (--max-rise) check that
 *    crosses its limit fails only when the one-sided z-test on the sibling `<metric>_se`
 *    standard errors finds the drop (rise) beyond the tolerance significant
 *
 * @throws UsageError when a rule matches nothing, names a non-metric, or needs a missing baseline
 */
export function evaluateGate(candidate: GateSide, baseline: GateSide | undefined, rules: readonly Rule[], opts: GateOptions = {}): GateOutcome {
  const checks: Check[] = []
  const skipped: Skipped[] = []
  for (const rule of rules) {
    const relative = rule.kind === 'max-drop' || rule.kind === 'max-rise'
    if (relative && !baseline) throw new UsageError(`${rule.text}: --${rule.kind} compares with a baseline; give --baseline FILE|run:ID|tag:KEY=VALUE`)
    const isWild = rule.pattern.wild.some((w) => w)
    const found = matchPath(candidate.result, rule.pattern)
    let matches: Match[]
    if (!isWild) {
      if (found.length === 0) throw new UsageError(`${rule.text}: ${rule.path} is not in the candidate (${candidate.label})${suggestion(candidate.result, rule.pattern.segments, rule.pattern.wild)}`)
      const n = numeric(found[0].value)
      if (!n.ok) throw new UsageError(`${rule.text}: ${rule.path} in the candidate (${candidate.label}) is ${n.type}, not a number${suggestion(candidate.result, rule.pattern.segments, rule.pattern.wild)}`)
      matches = found
    } else {
      matches = found.filter((m) => numeric(m.value).ok)
      if (matches.length === 0) throw new UsageError(`${rule.text}: no number in the candidate (${candidate.label}) matches ${rule.path}${suggestion(candidate.result, rule.pattern.segments, rule.pattern.wild)}`)
    }
    let checked = 0
    for (const m of matches) {
      const path = formatPath(m.path)
      const c = (numeric(m.value) as {value: number | null}).value
      let b: number | null = null
      if (baseline) {
        const bv = getPath(baseline.result, m.path)
        const bn = bv.found ? numeric(bv.value) : undefined
        if (relative && (!bn || !bn.ok)) {
          const why = !bn ? 'is not in the baseline' : `is ${(bn as {type: string}).type} in the baseline, not a number`
          if (!isWild) throw new UsageError(`${rule.text}: ${path} ${why} (${baseline.label})${bv.found ? '' : suggestion(baseline.result, m.path, m.path.map(() => false))}`)
          skipped.push({rule: rule.text, path, reason: `${why} (${baseline.label})`})
          continue
        }
        if (bn && bn.ok) b = bn.value
      }
      checks.push(checkOne(rule, path, m.path, c, b, candidate, baseline, opts))
      checked++
    }
    if (relative && baseline && isWild) {
      const inCandidate = new Set(matches.map((m) => formatPath(m.path)))
      for (const m of matchPath(baseline.result, rule.pattern)) {
        const path = formatPath(m.path)
        if (!inCandidate.has(path) && numeric(m.value).ok) skipped.push({rule: rule.text, path, reason: `is in the baseline (${baseline.label}) but not in the candidate (${candidate.label})`})
      }
    }
    if (checked === 0) throw new UsageError(`${rule.text}: no path matching ${rule.path} is a number in both the candidate (${candidate.label}) and the baseline (${baseline?.label})`)
  }
  return {passed: checks.every((c) => c.passed), checks, skipped}
}

function checkOne(rule: Rule, path: string, segs: string[], c: number | null, b: number | null, candidate: GateSide, baseline: GateSide | undefined, opts: GateOptions): Check {
  const base = {rule: rule.text, kind: rule.kind, path, candidate: c, baseline: b}
  const relative = rule.kind === 'max-drop' || rule.kind === 'max-rise'
  const wantsTest = relative && opts.significance !== undefined
  if (c === null) return {...base, limit: null, passed: false, ...(wantsTest ? {test: null} : {}), reason: 'the candidate has no value here (null: an undefined metric; see its notes)'}
  if (!relative) {
    const limit = rule.amount
    const passed = rule.kind === 'min' ? c >= limit : c <= limit
    const [cs, ls] = numbers(c, limit)
    const op = rule.kind === 'min' ? (passed ? '>=' : '<') : passed ? '<=' : '>'
    return {...base, limit, passed, reason: `${cs} ${op} ${rule.kind} ${ls}`}
  }
  if (b === null) return {...base, limit: null, passed: false, ...(wantsTest ? {test: null} : {}), reason: 'the baseline has no value here (null: an undefined metric), so there is nothing to compare with'}
  const margin = rule.percent ? (Math.abs(b) * rule.amount) / 100 : rule.amount
  const drop = rule.kind === 'max-drop'
  const limit = drop ? b - margin : b + margin
  const tol = LIMIT_TOLERANCE * Math.max(1, Math.abs(limit))
  const crossed = drop ? c < limit - tol : c > limit + tol
  const [cs, bs, ms, ls] = numbers(c, b, margin, limit)
  const tolText = rule.percent ? `${rule.amount}% of ${bs} = ${ms}` : ms
  let reason = `${cs} ${crossed ? (drop ? '<' : '>') : drop ? '>=' : '<='} limit ${ls} (baseline ${bs} ${drop ? '-' : '+'} ${tolText})`
  let passed = !crossed
  let test: CheckTest | null | undefined
  if (wantsTest) {
    const alpha = opts.significance as number
    const seC = numeric(getPath(candidate.result, standardErrorPath(segs)).value)
    const seB = numeric(getPath(baseline?.result, standardErrorPath(segs)).value)
    const sc = seC.ok ? seC.value : null
    const sb = seB.ok ? seB.value : null
    if (sc !== null && sb !== null && sc >= 0 && sb >= 0) {
      const t = marginZTest(drop ? b - c : c - b, margin, sc, sb)
      test = {alpha, candidate_se: sc, baseline_se: sb, se: t.se, z: t.z, p_value: t.p_value}
      const [zs, ps] = [t.z.toFixed(3), numbers(t.p_value)[0]]
      if (crossed) {
        passed = t.p_value >= alpha
        reason += passed ? `, but the ${drop ? 'drop' : 'rise'} beyond the tolerance is not significant (z = ${zs}, p = ${ps} >= ${alpha})` : `; significant (z = ${zs}, p = ${ps} < ${alpha})`
      }
    } else {
      test = null
      const missing = [sc === null ? `the candidate (${candidate.label})` : '', sb === null ? `the baseline (${baseline?.label})` : ''].filter((s) => s).join(' and ')
      reason += `; no standard error ${formatPath(standardErrorPath(segs))} in ${missing}, so the plain limit applies`
    }
  }
  return {...base, limit, passed, ...(test !== undefined ? {test} : {}), reason}
}
