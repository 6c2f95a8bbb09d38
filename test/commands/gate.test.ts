import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {receval, ROOT, tempDir, writeFile} from '../helpers/cli.js'
import {near} from '../helpers/assert.js'

const G = 'fixtures/gate'
const CAND = `${G}/candidate.json`
const BASE = `${G}/baseline.json`

interface Check {
  rule: string
  path: string
  candidate: number | null
  baseline: number | null
  limit: number | null
  passed: boolean
  test?: {p_value: number; z: number} | null
  reason: string
}
interface Gate {
  command: string
  passed: boolean
  candidate: {ref: string; label: string; command: string | null; run_id: number | null}
  baseline: {ref: string; label: string; command: string | null; run_id: number | null} | null
  significance: number | null
  checks: Check[]
  skipped: {rule: string; path: string; reason: string}[]
}
const gate = (args: string[], opts: Parameters<typeof receval>[1] = {}) => {
  const r = receval(['gate', ...args], opts)
  return {...r, result: r.json as Gate}
}

test('gate passes: exit 0, the result shape of the spec, a table without --json', () => {
  const r = gate([CAND, '--baseline', BASE, '--max-drop', 'scores.pctr_v2.auc=0.005', '--json'])
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stderr, '')
  assert.deepEqual(r.result, {
    command: 'gate',
    passed: true,
    candidate: {ref: CAND, label: CAND, command: 'auc', run_id: null, created_at: null, tags: null},
    baseline: {ref: BASE, label: BASE, command: 'auc', run_id: null, created_at: null, tags: null},
    significance: null,
    checks: [{rule: '--max-drop scores.pctr_v2.auc=0.005', kind: 'max-drop', path: 'scores.pctr_v2.auc', candidate: 0.738, baseline: 0.74, limit: 0.735, passed: true, reason: '0.738 >= limit 0.735 (baseline 0.74 - 0.005)'}],
    skipped: [],
  })
  const t = gate([CAND, '--baseline', BASE, '--max-drop', 'scores.pctr_v2.auc=0.005'])
  assert.equal(t.code, 0)
  assert.match(t.stdout, /^candidate: fixtures\/gate\/candidate.json \[auc\]\nbaseline: {2}fixtures\/gate\/baseline.json \[auc\]\n/)
  assert.match(t.stdout, /\nok {2}scores\.pctr_v2\.auc {2}--max-drop scores\.pctr_v2\.auc=0\.005 +0\.738000 +0\.740000 +0\.735000\n/)
  assert.match(t.stdout, /\ngate passed: 1 check\n$/)
})

test('gate fails: exit 1, the failed check explained, stdout still the JSON result', () => {
  const r = gate([CAND, '--baseline', BASE, '--max-drop', 'scores.*.auc=0.005', '--json'])
  assert.equal(r.code, 1)
  assert.equal(r.result.passed, false)
  assert.deepEqual(r.result.checks.map((c) => [c.path, c.passed]), [['scores.pctr.auc', false], ['scores.pctr_v2.auc', true]])
  assert.equal(r.result.checks[0].reason, '0.72 < limit 0.73 (baseline 0.735 - 0.005)')
  assert.deepEqual(r.result.skipped, [{rule: '--max-drop scores.*.auc=0.005', path: 'scores.pctr_v3.auc', reason: `is not in the baseline (${BASE})`}])
  assert.equal(r.stderr, 'receval: gate failed: 1 of 2 checks\n')
  const t = gate([CAND, '--baseline', BASE, '--max-drop', 'scores.*.auc=0.005'])
  assert.equal(t.code, 1)
  assert.match(t.stdout, /\nFAIL {2}scores\.pctr\.auc /)
  assert.match(t.stdout, /\nFAIL scores\.pctr\.auc: 0\.72 < limit 0\.73 \(baseline 0\.735 - 0\.005\)\n/)
  assert.match(t.stdout, /\nskipped \(a wildcard matched on one side only\):\n {2}scores\.pctr_v3\.auc/)
  assert.match(t.stdout, /\ngate failed: 1 of 2 checks\n$/)
})

test('every rule kind, % amounts and * paths in one gate', () => {
  const r = gate([CAND, '--baseline', BASE, '--max-drop', 'scores.*.pr_auc=2%', '--max-rise', 'scores.*.logloss=1%', '--min', 'scores.*.auc=0.73', '--max', 'scores.pctr.logloss=0.2', '--json'])
  assert.equal(r.code, 1)
  const got = r.result.checks.map((c) => [c.rule, c.path, c.passed])
  assert.deepEqual(got, [
    ['--max-drop scores.*.pr_auc=2%', 'scores.pctr.pr_auc', true], // 0.118 >= 0.12 - 2% (0.1176)
    ['--max-drop scores.*.pr_auc=2%', 'scores.pctr_v2.pr_auc', true],
    ['--max-rise scores.*.logloss=1%', 'scores.pctr.logloss', true], // 0.1414 <= 0.14 + 1% (0.1414)
    ['--max-rise scores.*.logloss=1%', 'scores.pctr_v2.logloss', true],
    ['--min scores.*.auc=0.73', 'scores.pctr.auc', false],
    ['--min scores.*.auc=0.73', 'scores.pctr_v2.auc', true],
    ['--min scores.*.auc=0.73', 'scores.pctr_v3.auc', true], // --min needs no baseline value
    ['--max scores.pctr.logloss=0.2', 'scores.pctr.logloss', true],
  ])
  near(r.result.checks[0].limit, 0.1176, 1e-15, 'pr_auc limit')
  near(r.result.checks[2].limit, 0.1414, 1e-15, 'logloss limit')
  assert.equal(r.result.checks[6].baseline, null)
})

test('--min / --max need no baseline', () => {
  const r = gate([CAND, '--min', 'rows=50000', '--max', 'scores.pctr.logloss=0.14', '--json'])
  assert.equal(r.code, 1)
  assert.equal(r.result.baseline, null)
  assert.deepEqual(r.result.checks.map((c) => [c.path, c.baseline, c.passed]), [['rows', null, true], ['scores.pctr.logloss', null, false]])
})

test('--significance: the same drop fails at alpha 0.05 and passes at 0.01 (z = 2)', () => {
  // drop 0.015 - tolerance 0.005 over se hypot(0.004, 0.003) = 0.005: z = 2;
  // scipy 1.10: norm.sf((0.735 - 0.72 - 0.005) / hypot(0.004, 0.003)) = 0.02275013194817907
  const r = gate([CAND, '--baseline', BASE, '--max-drop', 'scores.pctr.auc=0.005', '--significance', '0.05', '--json'])
  assert.equal(r.code, 1)
  assert.equal(r.result.significance, 0.05)
  const t = r.result.checks[0].test
  assert.ok(t)
  near(t.p_value, 0.02275013194817907, 1e-12, 'p')
  near(t.z, 2, 1e-12, 'z')
  const loose = gate([CAND, '--baseline', BASE, '--max-drop', 'scores.pctr.auc=0.005', '--significance', '0.01'])
  assert.equal(loose.code, 0)
  assert.match(loose.stdout, /p_value\n/)
  assert.match(loose.stdout, / 0\.022750\n/)
})

test('--significance on real auc --ci results: a 0.07 AUC drop on 400 rows is not significant at 0.05, but is at 0.1', () => {
  const dir = tempDir()
  const a = receval(['auc', 'fixtures/history/preds-a.csv', '--score', 'pctr', '--score', 'pctr_v2', '--ci', '--json'])
  const b = receval(['auc', 'fixtures/history/preds-b.csv', '--score', 'pctr', '--score', 'pctr_v2', '--ci', '--json'])
  const base = writeFile(dir, 'a.json', a.stdout)
  const cand = writeFile(dir, 'b.json', b.stdout)
  // AUCs equal scikit-learn 1.2's roc_auc_score on these files (a: 0.782859078590786, b: 0.712198614497465 for pctr_v2).
  // scipy 1.10 from the --json values: z = (0.782859078590786 - 0.712198614497465 - 0.01) / hypot(0.030768077851418572, 0.030910028156091753)
  //   = 1.390876428902297, norm.sf(z) = 0.08213145081470175; pctr: z = -0.16638805924901337, sf = 0.5660742148440091
  const at05 = gate([cand, '--baseline', base, '--max-drop', 'scores.*.auc=0.01', '--significance', '0.05', '--json'])
  assert.equal(at05.code, 0, at05.stdout)
  near(at05.result.checks[1].test?.z as number, 1.390876428902297, 1e-12, 'z pctr_v2')
  near(at05.result.checks[1].test?.p_value as number, 0.08213145081470175, 1e-12, 'p pctr_v2')
  near(at05.result.checks[0].test?.p_value as number, 0.5660742148440091, 1e-12, 'p pctr')
  assert.match(at05.result.checks[1].reason, /^0\.712199 < limit 0\.772859 .*, but the drop beyond the tolerance is not significant/)
  const at10 = gate([cand, '--baseline', base, '--max-drop', 'scores.*.auc=0.01', '--significance', '0.1', '--json'])
  assert.equal(at10.code, 1)
  assert.deepEqual(at10.result.checks.map((c) => c.passed), [true, false])
})

test('--significance without standard errors applies the plain limit and says so', () => {
  const r = gate([CAND, '--baseline', BASE, '--max-drop', 'scores.pctr.pr_auc=0.001', '--significance', '0.05', '--json'])
  assert.equal(r.code, 1)
  assert.equal(r.result.checks[0].test, null)
  assert.match(r.result.checks[0].reason, /no standard error scores\.pctr\.pr_auc_se in the candidate .* and the baseline .*, so the plain limit applies$/)
})

test('--junit writes one testcase per checked value with a failure for each failed one', () => {
  const dir = tempDir()
  const file = join(dir, 'reports', 'gate.xml')
  const r = gate([CAND, '--baseline', BASE, '--max-drop', 'scores.*.auc=0.005', '--min', 'rows=1', '--junit', file])
  assert.equal(r.code, 1)
  const xml = readFileSync(file, 'utf8')
  assert.match(xml, /<testsuites name="receval gate" tests="4" failures="1" errors="0" skipped="1">/)
  assert.equal((xml.match(/<testcase /g) ?? []).length, 4)
  assert.equal((xml.match(/<failure /g) ?? []).length, 1)
  assert.match(xml, /<failure type="max-drop" message="scores\.pctr\.auc: 0\.72 &lt; limit 0\.73 \(baseline 0\.735 - 0\.005\)">/)
  assert.match(xml, /<testcase classname="receval.gate.min" name="rows --min rows=1" time="0"\/>/)
  assert.match(xml, /<property name="candidate" value="fixtures\/gate\/candidate.json \[auc\]"\/>/)
})

test('--markdown writes a step summary: verdict, sides, one row per check', () => {
  const dir = tempDir()
  const file = join(dir, 'summary.md')
  const r = gate([CAND, '--baseline', BASE, '--max-drop', 'scores.*.auc=0.005', '--markdown', file])
  assert.equal(r.code, 1)
  const md = readFileSync(file, 'utf8')
  assert.match(md, /^### ❌ receval gate failed: 1 of 2 checks\n\nCandidate: fixtures\/gate\/candidate.json \[auc\] {2}\nBaseline: fixtures\/gate\/baseline.json \[auc\]\n\n\| \| path \| rule \| candidate \| baseline \| limit \| why \|\n/)
  assert.match(md, /\n\| ❌ \| `scores\.pctr\.auc` \| --max-drop scores\.\*\.auc=0\.005 \| 0\.72 \| 0\.735 \| 0\.73 \| 0\.72 < limit 0\.73 \(baseline 0\.735 - 0\.005\) \|\n\| ✅ \| `scores\.pctr_v2\.auc` \|/)
  assert.match(md, /\nSkipped \(a wildcard matched on one side only\):\n\n- `scores\.pctr_v3\.auc`/)
})

test('gate reads the candidate from stdin', () => {
  const r = gate(['-', '--baseline', BASE, '--max-drop', 'scores.pctr_v2.auc=0.005', '--json'], {input: readFileSync(join(ROOT, CAND))})
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.result.candidate.label, '<stdin>')
})

test('run:ID and tag:KEY=VALUE resolve from --db; tag: picks the newest run of the candidate command', () => {
  const db = join(tempDir(), 'h.sqlite')
  const rec = (file: string, tags: string[]) => receval(['auc', file, '--score', 'pctr', '--score', 'pctr_v2', '--ci', '--record', '--db', db, '--json', ...tags.flatMap((t) => ['--tag', t])])
  assert.equal(rec('fixtures/history/preds-a.csv', ['branch=main']).code, 0)
  assert.equal(rec('fixtures/history/preds-a.csv', ['branch=main']).code, 0)
  const third = rec('fixtures/history/preds-b.csv', ['branch=feature'])
  assert.equal(third.code, 0)
  const r = gate(['tag:branch=feature', '--db', db, '--baseline', 'tag:branch=main', '--max-drop', 'scores.pctr.auc=0.01', '--json'])
  assert.equal(r.code, 0, r.stderr)
  assert.deepEqual([r.result.candidate.run_id, r.result.baseline?.run_id, r.result.baseline?.label], [3, 2, 'run 2 (tag:branch=main)'])
  // a nightly job records, then gates against the previous run with the same tag: never itself
  const self = gate(['tag:branch=main', '--db', db, '--baseline', 'tag:branch=main', '--max-drop', 'scores.pctr.auc=0.01', '--json'])
  assert.deepEqual([self.code, self.result.candidate.run_id, self.result.baseline?.run_id], [0, 2, 1])
  const alone = gate(['tag:branch=feature', '--db', db, '--baseline', 'tag:branch=feature', '--max-drop', 'scores.pctr.auc=0.01'])
  assert.deepEqual([alone.code, alone.stderr], [2, `receval: ${db}: --baseline tag:branch=feature: no auc run other than run 3 is tagged branch=feature; see receval runs list\n`])
  const byId = gate(['run:3', '--baseline', 'run:1', '--max-drop', 'scores.pctr_v2.auc=0.01', '--json'], {env: {RECEVAL_DB: db}})
  assert.equal(byId.code, 1)
  assert.deepEqual([byId.result.candidate.label, byId.result.baseline?.label], ['run 3', 'run 1'])
  // a file candidate (the --json output of run 3) against a stored baseline gives the same checks
  const cand = writeFile(tempDir(), 'c.json', third.stdout)
  const mixed = gate([cand, '--db', db, '--baseline', 'run:1', '--max-drop', 'scores.pctr_v2.auc=0.01', '--json'])
  assert.equal(mixed.code, 1)
  assert.deepEqual(mixed.result.checks, byId.result.checks.map((c) => ({...c})))
})

test('bad input and usage: exit 2 with one clear line (the message wording of each rule error is in test/gate)', () => {
  const dir = tempDir()
  const db = join(dir, 'h.sqlite')
  assert.equal(receval(['auc', 'fixtures/history/preds-a.csv', '--record', '--db', db, '--score', 'pctr', '--tag', 'branch=main']).code, 0)
  const notJson = writeFile(dir, 'broken.json', '{\n  "command": "auc",\n  "rows": 12,,\n}\n')
  const cases: [string[], string][] = [
    [[CAND, '--baseline', `${G}/recall.json`, '--max-drop', 'scores.pctr.auc=0.01'], `receval: cannot compare results of different commands: the candidate (${CAND}) is "auc", the baseline (${G}/recall.json) is "recall"\n`],
    [[CAND, '--baseline', BASE, '--max-drop', 'scores.*.nope=0.01'], `receval: --max-drop scores.*.nope=0.01: no number in the candidate (${CAND}) matches scores.*.nope; scores has: pctr, pctr_v2, pctr_v3\n`],
    [[CAND, '--baseline', BASE, '--max-drop', 'scores.pctr.auc=0.01', '--significance', '5'], 'receval: --significance must be between 0 and 1 (for example 0.05), not "5"\n'],
    [[CAND, '--min', 'rows=1', '--significance', '0.05'], 'receval: --significance applies to --max-drop and --max-rise rules; none is given\n'],
    [[`${G}/error.json`, '--baseline', BASE, '--min', 'rows=1'], `receval: ${G}/error.json: holds the error of a failed receval run, not a result: preds.csv:12: column "label": "2" is not a label (0, 1, true, false)\n`],
    [[notJson, '--min', 'rows=1'], `receval: ${notJson}:3: not valid JSON at character 14 (Expected double-quoted property name)\n`],
    [['run:9', '--db', db, '--min', 'rows=1'], `receval: ${db}: CANDIDATE run:9: there is no run 9 (runs go up to 1; see receval runs list)\n`],
    [['tag:branch=dev', '--db', db, '--min', 'rows=1'], `receval: ${db}: CANDIDATE tag:branch=dev: no run is tagged branch=dev; see receval runs list\n`],
    [[`${G}/recall.json`, '--db', db, '--baseline', 'tag:branch=main', '--min', 'keys=1'], `receval: ${db}: --baseline tag:branch=main: no recall run is tagged branch=main (runs 1 with that tag are auc)\n`],
    [['run:1', '--db', join(dir, 'none.sqlite'), '--min', 'rows=1'], `receval: ${join(dir, 'none.sqlite')}: no such run database (runs are recorded into it with --record --db FILE)\n`],
  ]
  for (const [args, message] of cases) {
    const r = gate(args)
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`)
    assert.equal(r.stderr, message)
    assert.equal(r.stdout, '')
  }
  const j = gate([CAND, '--baseline', `${G}/recall.json`, '--max-drop', 'scores.pctr.auc=0.01', '--json'])
  assert.equal(j.code, 2)
  assert.equal((j.json as {error: {code: string}}).error.code, 'USAGE_ERROR')
})

test('no --junit / --markdown file is written when the gate cannot run', () => {
  const dir = tempDir()
  const r = gate([CAND, '--baseline', BASE, '--max-drop', 'nope=1', '--junit', join(dir, 'g.xml'), '--markdown', join(dir, 'g.md')])
  assert.equal(r.code, 2)
  assert.throws(() => readFileSync(join(dir, 'g.xml')))
  assert.throws(() => readFileSync(join(dir, 'g.md')))
})
