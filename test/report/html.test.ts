import {test} from 'node:test'
import assert from 'node:assert/strict'
import {escapeHtml, fillTemplate, html, join, jsonForScript, SafeHtml, scriptText} from '../../src/report/html.js'

const HOSTILE = '<img src=x onerror=alert(1)>'

test('escapeHtml escapes the five HTML specials and the backtick', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&\`</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;')
  assert.equal(escapeHtml(HOSTILE), '&lt;img src=x onerror=alert(1)&gt;')
})

test('escapeHtml replaces NUL (invalid in HTML) with U+FFFD', () => {
  assert.equal(escapeHtml('a\u0000b'), 'a\uFFFDb')
})

test('html`` escapes interpolated strings and numbers but not SafeHtml, and joins arrays', () => {
  const name = HOSTILE
  assert.equal(html`<td title="${name}">${name}</td>`.value, '<td title="&lt;img src=x onerror=alert(1)&gt;">&lt;img src=x onerror=alert(1)&gt;</td>')
  assert.equal(html`<b>${new SafeHtml('<i>ok</i>')}</b>`.value, '<b><i>ok</i></b>')
  assert.equal(html`<ul>${['<a>', html`<li>x</li>`]}</ul>`.value, '<ul>&lt;a&gt;<li>x</li></ul>')
  assert.equal(html`${null}${undefined}${false}${0}`.value, '0')
  assert.equal(join(['<', html`<br>`], '|').value, '&lt;|<br>')
})

test('jsonForScript cannot close its <script> element and parses back to the same value', () => {
  const value = {name: '</script><script>alert(1)</script>', c: '<!-- x -->', amp: 'a&b', ls: '\u2028\u2029', nul: '\u0000'}
  const text = jsonForScript(value)
  assert.doesNotMatch(text, /[<>&\u2028\u2029]/)
  assert.deepEqual(JSON.parse(text), value)
})

test('scriptText breaks </script and <!-- inside inlined code', () => {
  assert.equal(scriptText('var a = "</script>"; var b = "</SCRIPT"; var c = "<!--";'), 'var a = "<\\/script>"; var b = "<\\/SCRIPT"; var c = "<\\!--";')
})

test('fillTemplate escapes {{x}}, inserts SafeHtml for {{{x}}}, and refuses typos both ways', () => {
  assert.equal(fillTemplate('<t>{{ a }}</t>{{{b}}}', {a: '<x>', b: html`<y>`}), '<t>&lt;x&gt;</t><y>')
  assert.throws(() => fillTemplate('{{a}}{{b}}', {a: 'x'}), /placeholder \{\{b\}\} has no value/)
  assert.throws(() => fillTemplate('{{a}}', {a: 'x', c: 'y'}), /no placeholder for c/)
  assert.throws(() => fillTemplate('{{{a}}}', {a: '<x>'}), /needs SafeHtml/)
})
