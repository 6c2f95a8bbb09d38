import type {GateOutcome} from './evaluate.js'

/** Escape text for XML attributes and content; drops characters XML 1.0 cannot carry. */
export function xmlEscape(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

export interface JunitContext {
  candidate: string
  baseline?: string
  timestamp: string
}

/**
 * The gate outcome as JUnit XML: one `<testcase>` per checked value (named by its path and
 * rule), a `<failure>` in each failed one, and a `<skipped>` testcase for each path a wildcard
 * matched on one side only. Suite name "receval gate".
 */
export function gateJunit(outcome: GateOutcome, ctx: JunitContext): string {
  const tests = outcome.checks.length + outcome.skipped.length
  const failures = outcome.checks.filter((c) => !c.passed).length
  const a = (s: string) => xmlEscape(s)
  const suite = `name="receval gate" tests="${tests}" failures="${failures}" errors="0" skipped="${outcome.skipped.length}"`
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${suite}>`,
    `  <testsuite ${suite} timestamp="${a(ctx.timestamp)}">`,
    '    <properties>',
    `      <property name="candidate" value="${a(ctx.candidate)}"/>`,
    ...(ctx.baseline !== undefined ? [`      <property name="baseline" value="${a(ctx.baseline)}"/>`] : []),
    '    </properties>',
  ]
  for (const c of outcome.checks) {
    const name = a(`${c.path} ${c.rule}`)
    if (c.passed) {
      lines.push(`    <testcase classname="receval.gate.${c.kind}" name="${name}" time="0"/>`)
    } else {
      lines.push(`    <testcase classname="receval.gate.${c.kind}" name="${name}" time="0">`)
      lines.push(`      <failure type="${c.kind}" message="${a(`${c.path}: ${c.reason}`)}">${a(JSON.stringify(c, null, 2))}</failure>`)
      lines.push('    </testcase>')
    }
  }
  for (const s of outcome.skipped) {
    lines.push(`    <testcase classname="receval.gate.skipped" name="${a(`${s.path} ${s.rule}`)}" time="0">`)
    lines.push(`      <skipped message="${a(`${s.path} ${s.reason}`)}"/>`)
    lines.push('    </testcase>')
  }
  lines.push('  </testsuite>', '</testsuites>', '')
  return lines.join('\n')
}
