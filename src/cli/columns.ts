import {UsageError} from './errors.js'

/** Default header names tried, in order, for each column role (shared/spec/cli.md). */
export const DEFAULTS = {
  label: ['label', 'click', 'clk', 'is_click', 'y'],
  score: ['score', 'pred', 'prediction', 'pctr', 'p'],
  key: ['user_id', 'user', 'uid'],
  item: ['item_id', 'item', 'ad_id'],
  bid: ['bid', 'cost', 'price'],
} as const

/** Parse a comma-separated list of numbers from a flag ("0.1,0.5"); throws with the flag named. */
export function parseNumberList(flag: string, text: string): number[] {
  const parts = text.split(',').map((s) => s.trim()).filter((s) => s !== '')
  const out = parts.map((p) => Number(p))
  const bad = parts.find((p, i) => !Number.isFinite(out[i]))
  if (bad !== undefined || parts.length === 0) throw new UsageError(`${flag} takes comma-separated numbers, not "${text}"`)
  return out
}
