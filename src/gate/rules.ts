import {UsageError} from '../cli/errors.js'
import {parsePath} from '../results/paths.js'

export type RuleKind = 'max-drop' | 'max-rise' | 'min' | 'max'
export const RULE_KINDS: readonly RuleKind[] = ['max-drop', 'max-rise', 'min', 'max']

/** One gate rule as given on the command line: `--max-drop scores.*.auc=0.01`. */
export interface Rule {
  kind: RuleKind
  /** the rule as typed, flag included: "--max-drop scores.*.auc=0.01" */
  text: string
  /** the dotted path as typed */
  path: string
  pattern: {segments: string[]; wild: boolean[]}
  /** the amount (drop / rise) or the bound (min / max) */
  amount: number
  /** the amount is a percentage of |baseline| */
  percent: boolean
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

/**
 * Parse `PATH=AMOUNT` for a rule of `kind`. AMOUNT is a number; for max-drop and max-rise it may
 * be `N%` (N percent of the baseline's absolute value). The split is at the last `=`, so a
 * key holding `=` still works.
 *
 * @throws UsageError naming the flag when the value is not PATH=NUMBER (or N%)
 * @example parseRule('max-drop', 'scores.*.auc=1%').percent // true
 */
export function parseRule(kind: RuleKind, text: string): Rule {
  const flag = `--${kind}`
  const eq = text.lastIndexOf('=')
  const relative = kind === 'max-drop' || kind === 'max-rise'
  const form = relative ? 'PATH=AMOUNT (AMOUNT a number or N%)' : 'PATH=VALUE'
  if (eq <= 0) throw new UsageError(`${flag} takes ${form}, not "${text}"`)
  const path = text.slice(0, eq).trim()
  let amountText = text.slice(eq + 1).trim()
  const percent = amountText.endsWith('%')
  if (percent) {
    if (!relative) throw new UsageError(`${flag} ${text}: N% is for --max-drop and --max-rise (relative to the baseline); --${kind} takes a plain value`)
    amountText = amountText.slice(0, -1).trim()
  }
  if (!NUMBER.test(amountText)) throw new UsageError(`${flag} takes ${form}, not "${text}"`)
  return {kind, text: `${flag} ${text}`, path, pattern: parsePath(path), amount: Number(amountText), percent}
}
