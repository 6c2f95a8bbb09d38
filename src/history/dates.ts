import {UsageError} from '../cli/errors.js'

const DAY_MS = 86_400_000
const UNIT_MS: Record<string, number> = {m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS}

/**
 * Parse a --since / --until value into an ISO 8601 UTC instant, for a half-open window
 * [since, until).
 *
 * - `2024-05-01`: midnight UTC starting that day; as an `end` bound, the midnight after it,
 *   so `--until 2024-05-07` includes all of May 7
 * - `2024-05-01T12:00:00Z`, `2024-05-01T14:00+02:00`: that instant (no zone means UTC)
 * - `7d`, `12h`, `30m`, `2w`: that long before `now`
 * - `now`; `today`: today's midnight UTC (as an `end` bound, tomorrow's)
 *
 * @throws UsageError naming `flag` for anything else
 * @example parseWhen('--since', '2024-05-01', 'start') // '2024-05-01T00:00:00.000Z'
 */
export function parseWhen(flag: string, text: string, bound: 'start' | 'end', now: Date = new Date()): string {
  const t = text.trim()
  const bad = () => new UsageError(`${flag} takes a date (2024-05-01), a time (2024-05-01T12:00:00Z) or an age (7d, 12h, 30m, 2w), not "${text}"`)
  const age = /^(\d+(?:\.\d+)?)([mhdw])$/.exec(t)
  if (age) return new Date(now.getTime() - Number(age[1]) * UNIT_MS[age[2]]).toISOString()
  if (t === 'now') return now.toISOString()
  if (t === 'today') {
    const midnight = Math.floor(now.getTime() / DAY_MS) * DAY_MS
    return new Date(bound === 'end' ? midnight + DAY_MS : midnight).toISOString()
  }
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t)
  if (day) {
    const ms = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))
    const d = new Date(ms)
    if (Number.isNaN(ms) || d.getUTCDate() !== Number(day[3]) || d.getUTCMonth() !== Number(day[2]) - 1) throw bad()
    return new Date(bound === 'end' ? ms + DAY_MS : ms).toISOString()
  }
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(t)) {
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(t) ? t : t + 'Z'
    const ms = Date.parse(zoned.replace(' ', 'T'))
    if (Number.isNaN(ms)) throw bad()
    return new Date(ms).toISOString()
  }
  throw bad()
}
