/**
 * The `receval.recall.v1` statistics table: what `receval sql recall` makes a warehouse compute
 * and what `receval recall --stats` reads back. Every column is present on every row and never
 * NULL (unused cells hold 0 or ''), because warehouse clients write NULL differently.
 *
 * | column | type | meaning |
 * | --- | --- | --- |
 * | stats_schema | string | always `receval.recall.v1` |
 * | kind | string | what the row is (below) |
 * | retriever | string | the retriever's name (unit, item, retrieved and invalid rows of a retrieved table) |
 * | segment | string | the segment (segment_* rows) |
 * | key | string | the unit's key (unit rows); the name of a meta row |
 * | item | string | the item (item rows); the value of a meta row |
 * | k | bigint | the cut-off K (unit rows); the position of a repeated meta row (k, retriever) |
 * | n_rows | bigint | unit rows: retrieved rows of the key (0: no retrieval); totals: rows counted |
 * | n_keys | bigint | truth rows: evaluated keys (units) |
 * | n_items | bigint | retrieved rows: distinct items of the retriever in this result (its item rows) |
 * | n_truth | bigint | unit rows: \|T\| at K (distinct truth items; --truth-top: min(K, distinct items)) |
 * | n_hits | bigint | unit rows: h = \|R ∩ T\| at K |
 * | hit_bid | double | unit rows: bids of the truth rows whose item is a hit |
 * | truth_bid | double | unit rows: bids of the truth rows in T |
 * | dcg | double | unit rows: sum over hit positions i of 1 / log2(i + 1) |
 * | ap_sum | double | unit rows: sum over hit positions i of h_i / i (h_i: hits among the first i) |
 * | first_hit | bigint | unit rows: position of the first hit, 0 without one |
 * | tie | bigint | unit rows: 1 when the K-th and (K+1)-th list entries have the same sort value |
 * | position | bigint | item rows: the item's best list position over the evaluated keys, 0 when it is never within the largest K |
 * | excluded_rows | bigint | retrieved rows: rows of evaluated keys removed by the exclusions |
 * | duplicate_rows | bigint | retrieved rows: rows of evaluated keys dropped as repeats of an item |
 *
 * Kinds:
 * - `meta` (always present): (key, item) = (name, value): `mode` files | dump, `truth_top`
 *   true | false, `k` (one per cut-off, k = K), `retriever` and `retriever_table` (one per
 *   retriever, k = position), `truth_table`, `exclude_table` ('' without), `order` rank | score |
 *   list, `tiebreak` (how equal sort values are ordered), `coverage` true | false (whether there
 *   are item rows: `--no-coverage` leaves them out), and `column.ROLE` for every column used
 *   (ROLE as in the result's `columns`: by, item, rank, score, bid, segment, items, truth-items,
 *   truth-rank, truth-score, label)
 * - `truth`: evaluated keys (n_keys) and valid truth rows (n_rows; list format: lines; dump mode:
 *   the positive rows); `segment_truth` the same per segment
 * - `retrieved`: per retriever, valid rows (n_rows; list format: lines), excluded_rows,
 *   duplicate_rows, and n_items
 * - `exclude`: rows of the exclusion table (n_rows)
 * - `invalid`: rows left out for a NULL, NaN or infinite rank, score, bid or truth order, or a
 *   label other than 0 / 1 / true / false (n_rows; retriever '' for the truth table);
 *   `negative_bid`: truth rows with a negative bid (n_rows; these make the merge fail)
 * - `list_rows` (list format): per list table (retriever '' for the truth) its rows (n_rows, the
 *   lines) and the keys that have more than one (n_keys: a table has no row order, so their
 *   items are ranked by position within their row, then by item)
 * - `unit`: one per (retriever, evaluated key, K); `segment_unit` one per (retriever, segment, key, K)
 * - `item` (unless `--no-coverage`): one per (retriever, distinct retrieved item); `segment_item` one per (retriever,
 *   segment, item) for items within the largest K of a key of that segment
 */
export const RECALL_STATS_SCHEMA = 'receval.recall.v1'

export const RECALL_STATS_COLUMNS = [
  'stats_schema',
  'kind',
  'retriever',
  'segment',
  'key',
  'item',
  'k',
  'n_rows',
  'n_keys',
  'n_items',
  'n_truth',
  'n_hits',
  'hit_bid',
  'truth_bid',
  'dcg',
  'ap_sum',
  'first_hit',
  'tie',
  'position',
  'excluded_rows',
  'duplicate_rows',
] as const
export type RecallStatsColumn = (typeof RECALL_STATS_COLUMNS)[number]

/** The string columns; the others are numbers. */
export const RECALL_STATS_TEXT: ReadonlySet<string> = new Set(['stats_schema', 'kind', 'retriever', 'segment', 'key', 'item'])

/** The double columns (every other number is a BIGINT count or position). */
export const RECALL_STATS_DOUBLE: ReadonlySet<string> = new Set(['hit_bid', 'truth_bid', 'dcg', 'ap_sum'])

export const RECALL_STATS_KINDS = ['meta', 'truth', 'segment_truth', 'retrieved', 'exclude', 'invalid', 'negative_bid', 'list_rows', 'unit', 'segment_unit', 'item', 'segment_item'] as const
export type RecallStatsKind = (typeof RECALL_STATS_KINDS)[number]

/** The names of meta rows other than `column.ROLE`. */
export const RECALL_META_KEYS = ['mode', 'truth_top', 'k', 'retriever', 'retriever_table', 'truth_table', 'exclude_table', 'order', 'tiebreak', 'coverage'] as const

/** The roles of `column.ROLE` meta rows, in the order of the result's `columns`. */
export const RECALL_COLUMN_ROLES = ['by', 'item', 'rank', 'score', 'bid', 'items', 'label', 'segment', 'truth-items', 'truth-rank', 'truth-score'] as const

/** How equal sort values are ordered in the SQL (a table has no file order): by the item's text. */
export const RECALL_TIEBREAK = 'item'
