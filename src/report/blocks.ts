import {exact, formatCount, formatNumber, formatValue} from './format.js'
import {html, SafeHtml} from './html.js'
import type {Cell, CellValue, Fact, FactsBlock, NoteBlock, TableBlock, TableColumn} from './types.js'

/** HTML of the non-chart blocks. Every string is escaped by the `html` tag. */

const NA = html`<span class="na" title="undefined: see Notes">—</span>`

function unwrap(c: Cell): {value: CellValue; tone?: string; title?: string} {
  if (c !== null && typeof c === 'object' && !Array.isArray(c)) return c as {value: CellValue; tone?: string; title?: string}
  return {value: c as CellValue}
}

function isNumeric(v: CellValue): boolean {
  return typeof v === 'number' || Array.isArray(v)
}

/** The text and exact value (for the tooltip) of a cell under its column's format. */
function cellText(v: CellValue, col: TableColumn): {text: SafeHtml | string; exactTitle?: string; na: boolean} {
  if (v === null || v === undefined) return {text: NA, na: true}
  if (typeof v === 'string') return {text: v, na: false}
  if (Array.isArray(v)) {
    const [lo, hi] = v as readonly [number | null, number | null]
    if (lo === null || hi === null) return {text: NA, na: true}
    const d = col.digits ?? 4
    return {text: `[${formatNumber(lo, d)}, ${formatNumber(hi, d)}]`, exactTitle: `[${exact(lo)}, ${exact(hi)}]`, na: false}
  }
  const n = v as number
  if (col.format === 'text') return {text: String(n), na: false}
  const text = formatValue(n, col.format ?? 'auto', col.digits)
  return {text, exactTitle: text === String(n) ? undefined : exact(n), na: false}
}

export function renderTable(t: TableBlock): {html: SafeHtml; hasNull: boolean} {
  let hasNull = false
  const numericCol = t.columns.map((c, j) => c.format !== 'text' && t.rows.some((r) => isNumeric(unwrap(r[j]).value)) && t.rows.every((r) => unwrap(r[j]).value === null || unwrap(r[j]).value === undefined || isNumeric(unwrap(r[j]).value)))
  const head = t.columns.map((c, j) => html`<th scope="col"${numericCol[j] ? html` class="num"` : ''}${c.help ? html` title="${c.help}"` : ''}>${c.title}</th>`)
  const body = t.rows.map((r) => {
    const cells = t.columns.map((col, j) => {
      const {value, tone, title} = unwrap(r[j])
      const {text, exactTitle, na} = cellText(value, col)
      if (na) hasNull = true
      const cls = [numericCol[j] ? 'num' : '', tone ? `tone-${tone}` : ''].filter(Boolean).join(' ')
      const tip = title ?? exactTitle
      const attrs = html`${cls ? html` class="${cls}"` : ''}${tip && !na ? html` title="${tip}"` : ''}`
      return j === 0 && !numericCol[0] ? html`<th scope="row"${attrs}>${text}</th>` : html`<td${attrs}>${text}</td>`
    })
    return html`<tr>${cells}</tr>\n`
  })
  const foot = [t.footnote, hasNull ? '— : undefined for this row; the Notes section says why.' : undefined].filter(Boolean).join(' ')
  return {
    html: html`<div class="block table-block"><div class="table-wrap"><table class="data">${t.caption ? html`<caption>${t.caption}</caption>` : ''}
<thead><tr>${head}</tr></thead>
<tbody>
${body}</tbody></table></div>${foot ? html`<p class="footnote">${foot}</p>` : ''}</div>`,
    hasNull,
  }
}

export function renderNote(n: NoteBlock): SafeHtml {
  return html`<p class="block note${n.tone === 'warn' ? ' warn' : ''}">${n.text}</p>`
}

function factValue(v: Fact['value']): SafeHtml | string {
  if (v === null) return NA
  if (typeof v === 'number') return Number.isInteger(v) ? formatCount(v) : formatNumber(v)
  return v
}

export function renderFacts(facts: Fact[]): SafeHtml {
  const items = facts.map((f) => html`<dt>${f.label}</dt><dd>${factValue(f.value)}${f.help ? html` <span class="help">${f.help}</span>` : ''}</dd>`)
  return html`<dl class="facts">${items}</dl>`
}

export function renderFactsBlock(b: FactsBlock): SafeHtml {
  return html`<div class="block">${renderFacts(b.facts)}</div>`
}
