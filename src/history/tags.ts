import {UsageError} from '../cli/errors.js'

/** Tag keys: letters, digits and `_ . - / :`, starting with a letter or digit. */
const KEY = /^[A-Za-z0-9][A-Za-z0-9_.\-/:]*$/

/**
 * Parse one `KEY=VALUE` tag. The value is everything after the first `=` and may be empty
 * only when written explicitly (`note=`).
 *
 * @throws UsageError naming `flag` when there is no `=` or the key has other characters
 * @example parseTag('--tag', 'model=v2') // ['model', 'v2']
 */
export function parseTag(flag: string, text: string): [string, string] {
  const eq = text.indexOf('=')
  if (eq < 0) throw new UsageError(`${flag} takes KEY=VALUE, not "${text}"`)
  const key = text.slice(0, eq)
  const value = text.slice(eq + 1)
  if (!KEY.test(key)) throw new UsageError(`${flag} "${text}": the key must be letters, digits and _ . - / : (starting with a letter or digit)`)
  return [key, value]
}

/**
 * Parse repeated `KEY=VALUE` tags into an object; a key given twice with different values is
 * an error (one run has one value per key).
 */
export function parseTags(flag: string, texts: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const t of texts) {
    const [k, v] = parseTag(flag, t)
    if (k in out && out[k] !== v) throw new UsageError(`${flag} ${k} is given twice ("${out[k]}" and "${v}")`)
    out[k] = v
  }
  return out
}

/** `a=1, b=2` for tables. */
export function formatTags(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')
}
