/**
 * Safe HTML building. Every string that reaches the page goes through `escapeHtml`, unless it is
 * markup this module or the renderer built (`SafeHtml`). The `html` tag escapes every
 * interpolated value that is not `SafeHtml`, so the safe way is the short way:
 *
 *   html`<td title="${help}">${name}</td>`   // help and name are escaped
 */

/** Markup known to be safe (built here from escaped parts). Never wrap user text in it. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

const ESC: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;'}

/** Escape text for HTML element content and quoted attribute values (NUL, invalid in HTML, becomes U+FFFD). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESC[c]).replaceAll('\u0000', '\uFFFD')
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[]

function piece(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return ''
  if (v instanceof SafeHtml) return v.value
  if (Array.isArray(v)) return (v as readonly HtmlValue[]).map(piece).join('')
  return escapeHtml(String(v))
}

/** Tagged template: literal parts are markup, interpolated values are escaped (arrays are joined). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + strings[i + 1]
  return new SafeHtml(out)
}

/** Join fragments into one. */
export function join(parts: readonly HtmlValue[], sep = ''): SafeHtml {
  return new SafeHtml(parts.map(piece).join(sep))
}

/**
 * JSON for a `<script type="application/json">` element: `<`, `>`, `&` and the line separators
 * are written as \u escapes, so no value can close the element or open a comment, and
 * `JSON.parse(el.textContent)` gives the data back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
}

/**
 * Script text for an inline `<script>`: `</script` and `<!--` cannot appear in it (the bundles
 * have them only inside string literals, where `<\/script` and `<\!--` mean the same).
 */
export function scriptText(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--')
}

/**
 * Fill `{{name}}` (escaped) and `{{{name}}}` (SafeHtml only) placeholders of a template from
 * reports/. A placeholder without a value, or a value without a placeholder, is an error: a typo
 * must not silently drop part of the page.
 */
export function fillTemplate(template: string, values: Record<string, string | SafeHtml>): string {
  const used = new Set<string>()
  const out = template.replace(/\{\{(\{)?\s*([a-zA-Z_][\w]*)\s*\}\}(\})?/g, (_m, raw: string | undefined, name: string, close: string | undefined) => {
    if (!(name in values)) throw new Error(`template placeholder {{${name}}} has no value`)
    used.add(name)
    const v = values[name]
    if (raw !== undefined || close !== undefined) {
      if (!(v instanceof SafeHtml)) throw new Error(`template placeholder {{{${name}}}} needs SafeHtml`)
      return v.value
    }
    return escapeHtml(String(v))
  })
  const unused = Object.keys(values).filter((k) => !used.has(k))
  if (unused.length) throw new Error(`template has no placeholder for ${unused.join(', ')}`)
  return out
}
