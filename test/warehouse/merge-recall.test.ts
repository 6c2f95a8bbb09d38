import {test} from 'node:test'
import assert from 'node:assert/strict'
import {receval, tempDir, writeFile} from '../helpers/cli.js'
import {near} from '../helpers/assert.js'
import {readTable} from '../../src/io/index.js'
import {recallFromStatsFiles, RecallStatsOptions} from '../../src/warehouse/merge-recall.js'
import {RECALL_STATS_COLUMNS, RECALL_STATS_TEXT} from '../../src/warehouse/recall-stats.js'

// The merge of receval.recall.v1 statistics on small files written by hand (no SQL engine): each
// metric follows from the unit rows by the documented formulas, and malformed statistics exit 2.
const dir = tempDir('receval-merge-recall-')

type Row = Partial<Record<(typeof RECALL_STATS_COLUMNS)[number], string | number>>

function csv(rows: Row[]): string {
  const cell = (c: string, v: string | number | undefined) => String(v ?? (RECALL_STATS_TEXT.has(c) ? '' : 0))
  return [RECALL_STATS_COLUMNS.join(','), ...rows.map((r) => RECALL_STATS_COLUMNS.map((c) => (c === 'stats_schema' ? (r[c] ?? 'receval.recall.v1') : cell(c, r[c]))).join(','))].join('\n') + '\n'
}

const meta = (key: string, item: string, k = 0): Row => ({kind: 'meta', key, item, k})
const META: Row[] = [
  meta('mode', 'files'),
  meta('truth_top', 'false'),
  meta('k', '1', 1),
  meta('k', '2', 2),
  meta('retriever', 'r', 1),
  meta('retriever_table', 'db.r', 1),
  meta('truth_table', 'db.t'),
  meta('exclude_table', ''),
  meta('order', 'score'),
  meta('tiebreak', 'item'),
  meta('coverage', 'true'),
  meta('column.by', 'user_id'),
  meta('column.item', 'item_id'),
  meta('column.score', 'score'),
  meta('column.bid', 'bid'),
]
// key a: T = {x, z} (bids 2 and 1), its list x, y: a hit at position 1; key b: T = {w} (bid 0.5), no list;
// a key without truth holds the other 2 retrieved rows (one a repeat); z is retrieved beyond K only
const unit = (key: string, k: number, o: Row): Row => ({kind: 'unit', retriever: 'r', key, k, ...o})
const A = {n_rows: 3, n_truth: 2, n_hits: 1, hit_bid: 2, truth_bid: 3, dcg: 1, ap_sum: 1, first_hit: 1}
const Bk = {n_rows: 0, n_truth: 1, truth_bid: 0.5}
const DATA: Row[] = [
  {kind: 'truth', n_rows: 3, n_keys: 2},
  {kind: 'retrieved', retriever: 'r', n_rows: 5, n_items: 3, duplicate_rows: 1},
  unit('a', 1, A),
  unit('a', 2, A),
  unit('b', 1, Bk),
  unit('b', 2, Bk),
  {kind: 'item', retriever: 'r', item: 'x', position: 1},
  {kind: 'item', retriever: 'r', item: 'y', position: 2},
  {kind: 'item', retriever: 'r', item: 'z', position: 0},
]

async function merge(files: string[], opts: RecallStatsOptions = {}) {
  return recallFromStatsFiles(files, (p, r) => readTable(p, r, {hash: true, progress: false}), opts)
}

test('mergeRecallStats: every metric from the unit rows by its definition (hand-derived)', async () => {
  const {result} = await merge([writeFile(dir, 'hand.csv', csv([...META, ...DATA]))])
  assert.equal(result.keys, 2)
  assert.equal(result.keys_without_retrieval, 1)
  assert.deepEqual(result.retrieved, {file: 'db.r', rows: 5, dropped_rows: 0, excluded_rows: 0, duplicate_rows: 1})
  assert.deepEqual(result.truth, {file: 'db.t', rows: 3, dropped_rows: 0})
  assert.deepEqual(result.columns, {by: 'user_id', item: 'item_id', score: 'score', bid: 'bid'})
  const idcg2 = 1 + 1 / Math.log2(3)
  const want: Record<string, Record<string, number>> = {
    // click_recall (1/2 + 0)/2; micro 1/3; cost 2/3.5; hitrate 1/2; precision (1/K + 0)/2; ndcg (1/IDCG(min(2, K)) + 0)/2;
    // mrr (1/1 + 0)/2; map (1/min(2, K) + 0)/2; coverage: x (and y at K = 2) of x, y, z
    '1': {click_recall: 0.25, click_recall_micro: 1 / 3, cost_recall: 2 / 3.5, hitrate: 0.5, precision: 0.5, ndcg: 0.5, mrr: 0.5, map: 0.5, coverage: 1 / 3},
    '2': {click_recall: 0.25, click_recall_micro: 1 / 3, cost_recall: 2 / 3.5, hitrate: 0.5, precision: 0.25, ndcg: 0.5 / idcg2, mrr: 0.5, map: 0.25, coverage: 2 / 3},
  }
  for (const [K, m] of Object.entries(want)) for (const [f, v] of Object.entries(m)) near(result.at[K][f as 'click_recall'], v, 1e-15, `@${K} ${f}`)
  // a key split into two part files of one result is still one key
  const parts = [writeFile(dir, 'part-0.csv', csv([...META.slice(0, 7), ...DATA.slice(0, 3)])), writeFile(dir, 'part-1.csv', csv([...META.slice(7), ...DATA.slice(3)]))]
  assert.deepEqual((await merge(parts)).result.at, result.at)
  // -k picks cut-offs
  assert.deepEqual(Object.keys((await merge(parts, {ks: [2]})).result.at), ['2'])
})

test('recall --stats: malformed statistics exit 2 with one line naming file, line and column', () => {
  const bad = (name: string, rows: Row[]) => writeFile(dir, `${name}.csv`, csv(rows))
  const withUnit = (o: Row) => [...META, ...DATA.slice(0, 2), unit('a', 1, {...A, ...o}), ...DATA.slice(3)]
  const cases: [string[], RegExp][] = [
    [[bad('hits', withUnit({n_hits: 2, n_truth: 1}))], /hits\.csv:19: column "n_hits": 2 hits is more than min\(\|T\|, K\) = 1/],
    [[bad('first', withUnit({first_hit: 3}))], /first\.csv:19: column "first_hit": first hit at 3 does not fit 1 hits within K = 1/],
    [[bad('truth0', withUnit({n_truth: 0, n_hits: 0, first_hit: 0}))], /truth0\.csv:19: column "n_truth": an evaluated key has at least one truth item/],
    [[bad('count', withUnit({n_rows: 1.5}))], /count\.csv:19: column "n_rows": 1\.5 is not a count/],
    [[bad('kind', [...META, ...DATA, {kind: 'bucket'}])], /kind\.csv:26: column "kind": unknown kind "bucket" \(expected one of meta, truth/],
    [[bad('metakey', [...META, meta('colour', 'red'), ...DATA])], /metakey\.csv:17: column "key": unknown meta key "colour"/],
    [[bad('who', [...META, ...DATA, unit('c', 1, {...A, retriever: 'nobody'})])], /who\.csv:26: column "retriever": retriever "nobody" is not one of the meta retrievers \(r\)/],
    [[bad('kk', [...META, ...DATA, unit('c', 3, A)])], /kk\.csv:26: column "k": K = 3 is not one of the meta cut-offs \(1, 2\)/],
    [[bad('nometa', DATA)], /nometa\.csv: no meta rows in any file/],
    [[bad('nomode', [...META.slice(1), ...DATA])], /no meta mode row in any file/],
    [[bad('twice', [...META, ...DATA, unit('a', 2, A)])], /twice\.csv:26: column "key": key "a" \(retriever r, K = 2\) is also in line 20 of this file: recall shards must be split by the key column \(user_id\)/],
    [[bad('items', [...META, ...DATA.slice(0, -1)])], /the item rows of retriever r number 2 but the retrieved lines say 3: the export is incomplete/],
    [[bad('q1', [...META, ...DATA]), bad('q2', [...META.map((m) => (m.key === 'column.score' ? meta('column.score', 'pctr') : m)), ...DATA])], /q2\.csv:15: column "item": made by a different query than \S*q1\.csv: column\.score pctr here, score there/],
    [[bad('nobody', [...META, ...DATA.slice(0, 2), ...[1, 2].flatMap((k) => [unit('a', k, {...A, n_rows: 0}), unit('b', k, Bk)]), ...DATA.slice(6)])], /retriever r \(db\.r\) shares no key with the truth db\.t: is it the right table, or the right --by column\?/],
  ]
  for (const [files, re] of cases) {
    const r = receval(['recall', '--stats', ...files])
    assert.equal(r.code, 2, `${files.join(' ')}: ${r.stdout}${r.stderr}`)
    assert.equal(r.stdout, '')
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr)
    assert.match(r.stderr, re)
  }
  const none = receval(['recall', '--stats'])
  assert.equal(none.code, 2)
  assert.match(none.stderr, /--stats needs at least one stats file/)
})
