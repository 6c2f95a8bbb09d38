import {Args, Flags} from '@oclif/core'
import {mkdirSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'
import {HistoryCommand} from '../src/cli/history-command.js'
import {InputError, UsageError} from '../src/cli/errors.js'
import {printGate} from '../src/cli/print-gate.js'
import {evaluateGate} from '../src/gate/evaluate.js'
import type {GateResult} from '../src/gate/result.js'
import {gateJunit} from '../src/gate/junit.js'
import {gateMarkdown} from '../src/gate/markdown.js'
import {parseRule, Rule, RuleKind} from '../src/gate/rules.js'
import {assertSameCommand, ResolvedResult, resolveRef, sideInfo} from '../src/history/refs.js'

const describe = (r: ResolvedResult) => `${r.label}${r.command ? ` [${r.command}]` : ''}`

export default class Gate extends HistoryCommand<typeof Gate> {
  static override summary = 'Fail a CI build when a metric regresses against a baseline'
  static override description = `CANDIDATE and --baseline are each a JSON file written by a receval command's --json ("-" reads stdin), run:ID, or tag:KEY=VALUE (the newest recorded run with that tag; for the baseline, the newest of the candidate's command other than the candidate itself) from --db.

PATH is a dotted path into the result (scores.pctr.auc, at.50.click_recall); * matches any one segment (scores.*.auc). Booleans count as 1 and 0. A PATH that matches nothing is an error (exit 2).

--max-drop PATH=AMOUNT fails when candidate < baseline - AMOUNT; --max-rise PATH=AMOUNT when candidate > baseline + AMOUNT; AMOUNT is absolute or N% of |baseline|. --min PATH=VALUE and --max PATH=VALUE bound the candidate.

--significance ALPHA makes --max-drop and --max-rise noise-aware: where both results carry a standard error next to the metric (scores.pctr.auc_se beside scores.pctr.auc, as auc --ci writes), a check that crosses its limit fails only if a one-sided z-test finds the drop (rise) beyond the tolerance significant at ALPHA.

Exit 0 when every check passes, 1 when any fails, 2 for bad usage or input.`

  static override examples = [
    {description: 'no model may lose more than 0.002 AUC against the newest main-branch run', command: '<%= config.bin %> gate candidate.json --baseline tag:branch=main --max-drop "scores.*.auc=0.002"'},
    {description: 'relative tolerance, absolute floor and a CI summary', command: '<%= config.bin %> gate candidate.json --baseline baseline.json --max-drop "scores.*.gauc=0.5%" --min scores.pctr.auc=0.7 --max-rise scores.pctr.logloss=1% --markdown "$GITHUB_STEP_SUMMARY" --junit gate.xml'},
    {description: 'fail only on a significant drop (auc --ci writes auc_se)', command: '<%= config.bin %> gate run:42 --baseline run:40 --max-drop scores.pctr.auc=0.001 --significance 0.05'},
  ]

  static override args = {
    candidate: Args.string({description: 'the result to check: a --json file, - (stdin), run:ID or tag:KEY=VALUE', required: true}),
  }

  static override flags = {
    baseline: Flags.string({description: 'the result to compare with: a --json file, run:ID or tag:KEY=VALUE'}),
    'max-drop': Flags.string({description: 'PATH=AMOUNT: fail when candidate < baseline - AMOUNT (AMOUNT a number or N%), repeatable', multiple: true, helpGroup: 'RULE'}),
    'max-rise': Flags.string({description: 'PATH=AMOUNT: fail when candidate > baseline + AMOUNT (AMOUNT a number or N%), repeatable', multiple: true, helpGroup: 'RULE'}),
    min: Flags.string({description: 'PATH=VALUE: fail when candidate < VALUE, repeatable', multiple: true, helpGroup: 'RULE'}),
    max: Flags.string({description: 'PATH=VALUE: fail when candidate > VALUE, repeatable', multiple: true, helpGroup: 'RULE'}),
    significance: Flags.string({description: 'ALPHA: with standard errors on both sides (<metric>_se), a --max-drop / --max-rise check fails only when the excess is significant at ALPHA (one-sided z-test)'}),
    junit: Flags.string({description: 'also write the checks as JUnit XML to FILE'}),
    markdown: Flags.string({description: 'also write a Markdown summary to FILE (e.g. "$GITHUB_STEP_SUMMARY")'}),
  }

  async run(): Promise<GateResult> {
    const f = this.flags
    const rules: Rule[] = []
    const given: Record<RuleKind, string[] | undefined> = {'max-drop': f['max-drop'], 'max-rise': f['max-rise'], min: f.min, max: f.max}
    for (const [kind, texts] of Object.entries(given) as [RuleKind, string[] | undefined][]) for (const t of texts ?? []) rules.push(parseRule(kind, t))
    if (rules.length === 0) throw new UsageError('no rules: give at least one --max-drop, --max-rise, --min or --max')
    let significance: number | undefined
    if (f.significance !== undefined) {
      significance = Number(f.significance)
      if (!(significance > 0 && significance < 1)) throw new UsageError(`--significance must be between 0 and 1 (for example 0.05), not "${f.significance}"`)
      if (!rules.some((r) => r.kind === 'max-drop' || r.kind === 'max-rise')) throw new UsageError('--significance applies to --max-drop and --max-rise rules; none is given')
    }
    if (f.baseline === '-' && this.args.candidate === '-') throw new UsageError('the candidate and the baseline cannot both be read from stdin ("-")')

    // 1. resolve both sides (the database is opened only for run: and tag:)
    const ctx = {store: () => this.store()}
    const candidate = await resolveRef('CANDIDATE', this.args.candidate, ctx)
    const baseline = f.baseline !== undefined ? await resolveRef('--baseline', f.baseline, {...ctx, command: candidate.command, exclude: candidate.run?.id}) : undefined
    if (baseline) {
      assertSameCommand(candidate, baseline, ['candidate', 'baseline'])
      if (candidate.run && baseline.run && candidate.run.id === baseline.run.id) this.note(`note: the candidate and the baseline are the same run (${candidate.run.id})`)
      if ((candidate.command === null) !== (baseline.command === null)) this.note(`note: ${candidate.command === null ? candidate.label : baseline.label} does not say which command wrote it; not checking that both are results of the same command`)
    }

    // 2. evaluate
    const outcome = evaluateGate({label: candidate.label, result: candidate.result}, baseline && {label: baseline.label, result: baseline.result}, rules, {significance})
    const result: GateResult = {
      command: 'gate',
      passed: outcome.passed,
      candidate: sideInfo(candidate),
      baseline: baseline ? sideInfo(baseline) : null,
      significance: significance ?? null,
      checks: outcome.checks,
      skipped: outcome.skipped,
    }

    // 3. reports, then the verdict
    const names = {candidate: describe(candidate), baseline: baseline && describe(baseline)}
    if (f.junit !== undefined) this.write(f.junit, '--junit', gateJunit(outcome, {...names, timestamp: new Date().toISOString()}))
    if (f.markdown !== undefined) this.write(f.markdown, '--markdown', gateMarkdown(outcome, names))
    if (!this.jsonEnabled()) this.log(printGate(result, names))
    const failed = outcome.checks.filter((c) => !c.passed).length
    if (failed > 0) {
      this.note(`receval: gate failed: ${failed} of ${outcome.checks.length} check${outcome.checks.length === 1 ? '' : 's'}`)
      process.exitCode = 1
    }
    return result
  }

  private write(file: string, flag: string, text: string): void {
    try {
      mkdirSync(dirname(file), {recursive: true})
      writeFileSync(file, text)
    } catch (e) {
      throw new InputError({file}, `cannot write the ${flag} file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
    }
  }
}
