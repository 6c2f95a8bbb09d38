/**
 * The `receval.auc.v1` statistics table: what `receval sql auc` makes a warehouse compute and
 * what `receval auc --stats` reads back. One row per line; every column is present on every row
 * and never NULL (unused cells hold 0 or ''), because warehouse clients write NULL differently
 * ("NULL", "\N", an empty field).
 *
 * | column | type | meaning |
 * | --- | --- | --- |
 * | stats_schema | string | always `receval.auc.v1` |
 * | kind | string | what the row is (below) |
 * | score_name | string | the score column (value, bucket and group rows); the key of a meta row |
 * | grp | string | the group key (group rows); the value of a meta row |
 * | bucket | bigint | bucket rows: the bucket index; value rows: the index of the value among 1024 logit-spaced buckets (a coarse key that rises with the score); meta `score` rows: the score's position |
 * | score_value | double | value rows: the distinct score value |
 * | n_rows | bigint | rows counted in the line |
 * | pos, neg | double | positive and negative counts (weight sums with a weight column) |
 * | u_stat | double | group rows: sum over the group's positives of the negatives scored below (ties 1/2), weighted: the group's Mann-Whitney U, so AUC_g = u_stat / (pos * neg) |
 * | sum_score | double | bucket rows: sum of w * score |
 * | sum_sq_error | double | bucket rows: sum of w * (score - label)^2 |
 * | sum_logloss | double | bucket rows: sum of -w * [y ln p + (1 - y) ln(1 - p)], p = score clipped to [1e-15, 1 - 1e-15] |
 * | min_score, max_score | double | bucket rows: the smallest and largest score in the bucket; value rows: the value |
 *
 * Kinds:
 * - `meta` (always present, so an empty shard still says what it is): score_name / grp are
 *   `label` / column, `score` / column (bucket = 1, 2, ...), `group` / column or '',
 *   `weight` / column or '', `buckets` / N or 0 for exact statistics, `score_scale` /
 *   probability | logit
 * - `rows`: rows used (n_rows) and their positive and negative totals
 * - `invalid`: rows left out for a NULL, NaN or infinite score or weight, or a label other than
 *   0 / 1 / true / false (n_rows)
 * - `negative_weight`: rows with a negative weight (n_rows); these make the merge fail
 * - `value` (exact statistics): one row per (score, distinct value)
 * - `bucket` (`--buckets N`): one row per (score, non-empty bucket)
 * - `group` (with a group column): one row per (score, group)
 */
export const AUC_STATS_SCHEMA = 'receval.auc.v1'

export const AUC_STATS_COLUMNS = [
  'stats_schema',
  'kind',
  'score_name',
  'grp',
  'bucket',
  'score_value',
  'n_rows',
  'pos',
  'neg',
  'u_stat',
  'sum_score',
  'sum_sq_error',
  'sum_logloss',
  'min_score',
  'max_score',
] as const
export type AucStatsColumn = (typeof AUC_STATS_COLUMNS)[number]

/** The string columns; the others are numbers. */
export const AUC_STATS_TEXT: ReadonlySet<string> = new Set(['stats_schema', 'kind', 'score_name', 'grp'])

export const AUC_STATS_KINDS = ['meta', 'rows', 'invalid', 'negative_weight', 'value', 'bucket', 'group'] as const
export type AucStatsKind = (typeof AUC_STATS_KINDS)[number]

/** The keys of meta rows. */
export const AUC_META_KEYS = ['label', 'score', 'group', 'weight', 'buckets', 'score_scale'] as const

export type ScoreScale = 'probability' | 'logit'
export const SCORE_SCALES: readonly ScoreScale[] = ['probability', 'logit']

/** Buckets of the coarse key on value rows in exact mode. */
export const EXACT_KEY_BUCKETS = 1024

/** The most buckets `--buckets` accepts. */
export const MAX_BUCKETS = 1_000_000

/** Probabilities are clipped to [BUCKET_EPS, 1 - BUCKET_EPS] before their logit is bucketed. */
export const BUCKET_EPS = 1e-6

/** Bucket edges are evenly spaced on the logit over [-LOGIT_RANGE, LOGIT_RANGE] (= logit(1 - 1e-6), about 13.8). */
export const LOGIT_RANGE = Math.log(1e6)

/** The logloss clip of `receval auc` (src/metrics/probability.ts). */
export const PROB_EPS = 1e-15

/**
 * The bucket of a score: edges evenly spaced on the logit scale, b = floor((t + L) * n / (2L))
 * clamped to [0, n - 1], where t = logit(clip(score, 1e-6, 1 - 1e-6)) for probabilities and
 * t = clip(score, -L, L) for logit scores, L = ln(1e6). Non-decreasing in the score, which is all
 * the bucketed AUC and its error bound need. This is the same arithmetic as the SQL templates
 * (their LN may differ from Math.log in the last bit, which can move a score lying on an edge).
 * @example bucketOf(0.5, 100, 'probability') // 50
 */
export function bucketOf(score: number, n: number, scale: ScoreScale = 'probability'): number {
  let t: number
  if (scale === 'logit') t = Math.min(Math.max(score, -LOGIT_RANGE), LOGIT_RANGE)
  else {
    const q = Math.min(Math.max(score, BUCKET_EPS), 1 - BUCKET_EPS)
    t = Math.log(q) - Math.log(1 - q)
  }
  const b = Math.floor((t + LOGIT_RANGE) * (n / (2 * LOGIT_RANGE)))
  return Math.min(Math.max(b, 0), n - 1)
}
