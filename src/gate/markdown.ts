import type {GateOutcome} from './evaluate.js'
import {numbers} from './evaluate.js'

/** Escape a table cell: pipes, backslashes and newlines would break the row. */
export function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

/** A code span inside a table cell: only the pipe needs escaping there. */
const mdCode = (s: string): string => '`' + s.replace(/\|/g, '\\|').replace(/`/g, "'") + '`'

const num = (v: number | null | undefined): string => (v === null || v === undefined ? '' : numbers(v)[0])

export interface MarkdownContext {
  candidate: string
  baseline?: string
}

/**
 * The gate outcome as GitHub-flavoured Markdown for a CI step summary: a heading with the
 * verdict, what was compared, one table row per checked value (failures first), and the
 * skipped paths.
 */
export function gateMarkdown(outcome: GateOutcome, ctx: MarkdownContext): string {
  const failed = outcome.checks.filter((c) => !c.passed)
  const total = outcome.checks.length
  const out: string[] = []
  out.push(outcome.passed ? `### ✅ receval gate passed (${total} check${total === 1 ? '' : 's'})` : `### ❌ receval gate failed: ${failed.length} of ${total} check${total === 1 ? '' : 's'}`)
  out.push('')
  out.push(`Candidate: ${mdCell(ctx.candidate)}${ctx.baseline !== undefined ? `  \nBaseline: ${mdCell(ctx.baseline)}` : ''}`)
  out.push('')
  const withTest = outcome.checks.some((c) => c.test !== undefined)
  out.push(`| | path | rule | candidate | baseline | limit |${withTest ? ' p-value |' : ''} why |`)
  out.push(`|---|---|---|---:|---:|---:|${withTest ? '---:|' : ''}---|`)
  const ordered = [...failed, ...outcome.checks.filter((c) => c.passed)]
  for (const c of ordered) {
    const p = withTest ? ` ${c.test ? num(c.test.p_value) : ''} |` : ''
    out.push(`| ${c.passed ? '✅' : '❌'} | ${mdCode(c.path)} | ${mdCell(c.rule)} | ${num(c.candidate)} | ${num(c.baseline)} | ${num(c.limit)} |${p} ${mdCell(c.reason)} |`)
  }
  if (outcome.skipped.length > 0) {
    out.push('', `Skipped (a wildcard matched on one side only):`, '')
    for (const s of outcome.skipped) out.push(`- \`${s.path}\` (${mdCell(s.rule)}): ${mdCell(s.reason)}`)
  }
  out.push('')
  return out.join('\n')
}
