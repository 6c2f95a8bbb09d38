import {test} from 'node:test'
import assert from 'node:assert/strict'
import {evaluateGate} from '../../src/gate/evaluate.js'
import {gateJunit, xmlEscape} from '../../src/gate/junit.js'
import {gateMarkdown, mdCell} from '../../src/gate/markdown.js'
import {parseRule} from '../../src/gate/rules.js'

const C = {label: 'cand.json', result: {scores: {'a<b': {auc: 0.7}, p: {auc: 0.75}, q: {auc: 0.8}}}}
const B = {label: 'base.json', result: {scores: {'a<b': {auc: 0.72}, p: {auc: 0.75}}}}
const outcome = evaluateGate(C, B, [parseRule('max-drop', 'scores.*.auc=0.01'), parseRule('min', 'scores.p.auc=0.7')])

test('gateJunit: one testcase per checked value, a failure in each failed one, skipped ones marked', () => {
  const xml = gateJunit(outcome, {candidate: 'cand.json (auc)', baseline: 'base.json (auc)', timestamp: '2024-05-01T00:00:00.000Z'})
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="receval gate" tests="4" failures="1" errors="0" skipped="1">/)
  assert.equal((xml.match(/<testcase /g) ?? []).length, 4)
  assert.equal((xml.match(/<failure /g) ?? []).length, 1)
  assert.equal((xml.match(/<skipped /g) ?? []).length, 1)
  assert.match(xml, /<testcase classname="receval.gate.max-drop" name="scores.a&lt;b.auc --max-drop scores.\*.auc=0.01" time="0">\n {6}<failure type="max-drop" message="scores.a&lt;b.auc: 0.7 &lt; limit 0.71 \(baseline 0.72 - 0.01\)">/)
  assert.match(xml, /<testcase classname="receval.gate.min" name="scores.p.auc --min scores.p.auc=0.7" time="0"\/>/)
  assert.match(xml, /<property name="baseline" value="base.json \(auc\)"\/>/)
  assert.match(xml, /<skipped message="scores.q.auc is not in the baseline \(base.json\)"\/>/)
  // every element that opens is closed
  for (const tag of ['testsuites', 'testsuite', 'properties']) assert.equal((xml.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length, (xml.match(new RegExp(`</${tag}>`, 'g')) ?? []).length, tag)
})

test('xmlEscape escapes markup and drops characters XML cannot hold', () => {
  assert.equal(xmlEscape(`a<b>&"'\u0001c`), 'a&lt;b&gt;&amp;&quot;&apos;c')
})

test('gateMarkdown: verdict heading, sides, failures first, skipped listed', () => {
  const md = gateMarkdown(outcome, {candidate: 'cand.json (auc)', baseline: 'base.json (auc)'})
  const lines = md.split('\n')
  assert.equal(lines[0], '### ❌ receval gate failed: 1 of 3 checks')
  assert.ok(md.includes('Candidate: cand.json (auc)  \nBaseline: base.json (auc)'))
  assert.equal(lines[5], '| | path | rule | candidate | baseline | limit | why |')
  assert.equal(lines[6], '|---|---|---|---:|---:|---:|---|')
  assert.equal(lines[7], '| ❌ | `scores.a<b.auc` | --max-drop scores.*.auc=0.01 | 0.7 | 0.72 | 0.71 | 0.7 < limit 0.71 (baseline 0.72 - 0.01) |')
  assert.equal(lines[8].startsWith('| ✅ | `scores.p.auc` |'), true)
  assert.ok(md.includes('- `scores.q.auc` (--max-drop scores.*.auc=0.01): is not in the baseline (base.json)'))
})

test('gateMarkdown: a passing gate says so, with a p-value column under --significance', () => {
  const g = evaluateGate({label: 'c', result: {m: 0.7, m_se: 0.01}}, {label: 'b', result: {m: 0.72, m_se: 0.01}}, [parseRule('max-drop', 'm=0.01')], {significance: 0.05})
  const md = gateMarkdown(g, {candidate: 'c'})
  assert.match(md, /^### ✅ receval gate passed \(1 check\)\n\nCandidate: c\n/)
  assert.match(md, /\| \| path \| rule \| candidate \| baseline \| limit \| p-value \| why \|/)
})

test('mdCell escapes pipes and flattens newlines', () => {
  assert.equal(mdCell('a|b\nc'), 'a\\|b c')
})
