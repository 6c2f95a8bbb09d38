import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {csvOf, receval, ROOT, tempDir, writeFile} from '../helpers/cli.js'
import {near} from '../helpers/assert.js'

// `receval recall` through the real CLI. Expected values on fixtures/recall/* come from
// fixtures/recall/expected.json, printed by the independent Python reference
// fixtures/recall-reference.py (/usr/bin/python3); the small cases are derived by hand.

const F = (name: string) => join('fixtures', 'recall', name)
const expected = JSON.parse(readFileSync(join(ROOT, 'fixtures/recall/expected.json'), 'utf8'))
const FIELDS = ['click_recall', 'click_recall_micro', 'cost_recall', 'hitrate', 'precision', 'ndcg', 'mrr', 'map', 'coverage']

interface Block {
  keys: number
  keys_without_retrieval: number
  at: Record<string, Record<string, unknown>>
}

function sameBlock(got: Block, want: Block, what: string): void {
  assert.equal(got.keys, want.keys, `${what}: keys`)
  assert.equal(got.keys_without_retrieval, want.keys_without_retrieval, `${what}: keys_without_retrieval`)
  assert.deepEqual(Object.keys(got.at), Object.keys(want.at), `${what}: K`)
  for (const [k, m] of Object.entries(want.at)) {
    for (const f of FIELDS) {
      const w = (m as Record<string, number | null>)[f]
      if (w === null) assert.equal(got.at[k][f], null, `${what} @${k} ${f}`)
      else near(got.at[k][f], w, 1e-12, `${what} @${k} ${f}`)
    }
  }
}

function json(args: string[], input?: string): {r: ReturnType<typeof receval>; j: Record<string, unknown>} {
  const r = receval(['recall', ...args, '--json'], {input})
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stdout} ${r.stderr}`)
  return {r, j: r.json as Record<string, unknown>}
}

test('recall on the fixtures (long format, by score) equals the Python reference', () => {
  const {j} = json(['--retrieved', F('retrieved.csv'), '--truth', F('clicks.csv'), '--score', 'score', '-k', '5,10,20'])
  sameBlock(j as unknown as Block, expected.long, 'long')
})

test('recall --json has the documented shape', () => {
  const {r, j} = json(['--retrieved', F('retrieved.csv'), '--truth', F('clicks.csv'), '--score', 'score', '-k', '20,5'])
  assert.deepEqual(Object.keys(j).sort(), ['at', 'columns', 'command', 'dropped_rows', 'k', 'keys', 'keys_without_retrieval', 'mode', 'notes', 'retrieved', 'ties', 'truth', 'truth_top'].sort())
  assert.equal(j.command, 'recall')
  assert.equal(j.mode, 'files')
  assert.deepEqual(j.k, [5, 20])
  assert.deepEqual(Object.keys(j.at as object), ['5', '20'])
  assert.deepEqual(Object.keys((j.at as Record<string, object>)['5']), FIELDS)
  assert.deepEqual(j.columns, {by: 'user_id', item: 'item_id', score: 'score', bid: 'bid'})
  assert.deepEqual(j.truth, {file: F('clicks.csv'), rows: 452, dropped_rows: 0})
  assert.deepEqual(j.retrieved, {file: F('retrieved.csv'), rows: 3000, dropped_rows: 0, excluded_rows: 0, duplicate_rows: 0})
  assert.deepEqual(j.ties, {'5': 0, '20': 0})
  assert.equal(j.truth_top, false)
  assert.equal(r.stderr, '')
})

test('recall prints an aligned table, one row per K, and nothing on stderr', () => {
  const r = receval(['recall', '--retrieved', F('retrieved.csv'), '--truth', F('clicks.csv'), '--score', 'score', '-k', '5,10'])
  assert.equal(r.code, 0)
  assert.equal(r.stderr, '')
  const lines = r.stdout.trimEnd().split('\n')
  const h = lines.findIndex((l) => l.trimStart().startsWith('K  click_recall'))
  assert.ok(h > 0, r.stdout)
  assert.match(lines[h], /^ K +click_recall +micro +cost_recall +hitrate +precision +ndcg +mrr +map +coverage$/)
  assert.match(lines[h + 2], /^ 5 {6}0\.0700\d\d/)
  assert.match(lines[h + 3], /^10 {6}0\.1165\d\d/)
  assert.equal(lines.length, h + 4)
  assert.match(r.stdout, /150 keys evaluated, 10 without a retrieved list/)
})

test('recall list format with --exclude equals the Python reference', () => {
  const {j} = json(['--retrieved', F('retrieved-lists.csv'), '--items', 'items', '--truth', F('clicks.csv'), '--exclude', F('train.csv'), '-k', '10,20'])
  sameBlock(j as unknown as Block, expected.lists_exclude, 'lists_exclude')
  assert.equal((j.retrieved as {excluded_rows: number}).excluded_rows, 194)
  assert.deepEqual(j.exclude, {rows: 200})
})

test('recall --segment: every metric per segment equals the Python reference', () => {
  const {j} = json(['--retrieved', F('retrieved.csv'), '--truth', F('clicks.csv'), '--score', 'score', '--segment', 'activity', '-k', '10'])
  const segs = j.segments as Record<string, Block>
  assert.deepEqual(Object.keys(segs), ['high', 'low', 'mid'])
  for (const s of ['high', 'low', 'mid']) sameBlock(segs[s], expected.segments[s], `segment ${s}`)
  assert.equal(segs.high.keys + segs.low.keys + segs.mid.keys, (j as unknown as Block).keys) // a per-user bucket: segments partition the keys
})

test('recall single-dump mode equals the Python reference', () => {
  const {j} = json([F('dump.csv'), '--by', 'user_id', '--score', 'pctr', '--label', 'click', '-k', '5,10'])
  sameBlock(j as unknown as Block, expected.dump, 'dump')
  assert.equal(j.mode, 'dump')
  assert.deepEqual(j.columns, {by: 'user_id', item: 'item_id', label: 'click', bid: 'bid', score: 'pctr'})
  assert.equal((j.truth as {rows: number}).rows, 85)
})

test('recall --truth-top on list files is the k-NN recall of the Python reference', () => {
  const {j} = json(['--retrieved', F('ann.csv'), '--items', 'neighbors', '--truth', F('exact.csv'), '--truth-items', 'neighbors', '--truth-top', '--by', 'query', '-k', '1,5,10'])
  sameBlock(j as unknown as Block, expected.knn, 'knn')
  assert.equal(j.truth_top, true)
  assert.match((j.notes as string[]).join(' '), /cost_recall is null/)
})

test('recall compares two retrievers pairwise: values equal the reference, seeded bootstrap is reproducible', () => {
  const args = ['--retrieved', F('retrieved.csv'), '--retrieved', F('retrieved-b.csv'), '--score', 'score', '--truth', F('clicks.csv'), '-k', '5,10,20', '--bootstrap', '300', '--seed', '7']
  const {j} = json(args)
  const rs = j.retrievers as Record<string, Block & {file: string}>
  assert.deepEqual(Object.keys(rs), ['retrieved', 'retrieved-b'])
  sameBlock(rs.retrieved, expected.long, 'a')
  sameBlock(rs['retrieved-b'], expected.long_b, 'b')
  sameBlock(j as unknown as Block, expected.long, 'top level = first retriever')
  assert.deepEqual(j.bootstrap, {replicates: 300, seed: 7, alpha: 0.05, method: 'percentile', unit: 'key'})
  const cmp = j.comparisons as {a: string; b: string; at: Record<string, Record<string, {a: number; b: number; delta: number; ci: [number, number]; p_value: number}>>}[]
  assert.equal(cmp.length, 1)
  assert.equal(cmp[0].a, 'retrieved')
  assert.equal(cmp[0].b, 'retrieved-b')
  for (const k of ['5', '10', '20']) {
    assert.deepEqual(Object.keys(cmp[0].at[k]), ['click_recall', 'cost_recall', 'hitrate'])
    for (const m of ['click_recall', 'cost_recall', 'hitrate']) {
      const d = cmp[0].at[k][m]
      near(d.a, expected.long.at[k][m], 1e-12)
      near(d.b, expected.long_b.at[k][m], 1e-12)
      near(d.delta, expected.long_b.at[k][m] - expected.long.at[k][m], 1e-12)
      assert.ok(d.ci[0] <= d.ci[1])
      assert.ok(d.p_value > 0 && d.p_value <= 1)
    }
  }
  // without --ci no per-retriever intervals
  assert.equal(rs.retrieved.at['5'].click_recall_ci, undefined)
  const again = json(args).j
  assert.deepEqual(again.comparisons, j.comparisons)
  const other = json([...args.slice(0, -1), '8']).j
  assert.notDeepEqual(other.comparisons, j.comparisons)
})

test('recall --ci: intervals around click_recall, cost_recall and hitrate, the same for the same seed', () => {
  const args = ['--retrieved', F('retrieved.csv'), '--truth', F('clicks.csv'), '--score', 'score', '-k', '10', '--ci', '--bootstrap', '400', '--seed', '3', '--alpha', '0.1']
  const a = json(args).j as unknown as {at: Record<string, Record<string, number | [number, number]>>; bootstrap: unknown}
  const m = a.at['10']
  for (const f of ['click_recall', 'cost_recall', 'hitrate']) {
    const ci = m[`${f}_ci`] as [number, number]
    assert.ok(ci[0] < (m[f] as number) && (m[f] as number) < ci[1], `${f} ${m[f]} in ${ci}`)
  }
  assert.deepEqual(a.bootstrap, {replicates: 400, seed: 3, alpha: 0.1, method: 'percentile', unit: 'key'})
  assert.deepEqual(json(args).j.at, a.at)
  const human = receval(['recall', ...args])
  assert.match(human.stdout, /click_recall_ci/)
  assert.match(human.stdout, /bootstrap: 400 replicates over keys, seed 3, 90% percentile intervals/)
})

// ---- hand-derived cases through the CLI (the worked example of docs/recall.md) ----

const WORKED_RETRIEVED = csvOf({
  user_id: ['a', 'a', 'a', 'a', 'a', 'a', 'c', 'd'],
  item_id: ['x', 'y', 'z', 'x', 'w', 'v', 'm', 'n'],
  score: [0.9, 0.5, 0.5, 0.3, 0.7, 0.5, 0.4, 0.8],
})
const WORKED_TRUTH = csvOf({user_id: ['a', 'a', 'b', 'a', 'c'], item_id: ['z', 'q', 'p', 'z', 'm'], bid: [2, 3, 1, 1, 1]})
const WORKED_EXCLUDE = csvOf({user_id: ['a', 'c'], item_id: ['w', 'm']})

test('recall on the worked example: ties, a duplicate, exclusions, an emptied list, a key without retrieval', () => {
  const d = tempDir()
  const args = ['--retrieved', writeFile(d, 'r.csv', WORKED_RETRIEVED), '--truth', writeFile(d, 't.csv', WORKED_TRUTH), '--exclude', writeFile(d, 'x.csv', WORKED_EXCLUDE), '--score', 'score', '-k', '1,3,10']
  const {r, j} = json(args)
  const res = j as unknown as Block & {ties: Record<string, number>; retrieved: Record<string, number>}
  assert.equal(res.keys, 3)
  assert.equal(res.keys_without_retrieval, 1)
  const k3 = res.at['3'] as Record<string, number>
  const LOG3 = Math.log2(3)
  near(k3.click_recall, 1 / 6, 1e-15)
  near(k3.click_recall_micro, 1 / 4, 1e-15)
  near(k3.cost_recall, 3 / 8, 1e-15)
  near(k3.hitrate, 1 / 3, 1e-15)
  near(k3.precision, 1 / 9, 1e-15)
  near(k3.ndcg, 0.5 / (1 + 1 / LOG3) / 3, 1e-15)
  near(k3.mrr, 1 / 9, 1e-15)
  near(k3.map, 1 / 18, 1e-15)
  near(k3.coverage, 3 / 7, 1e-15)
  near((res.at['10'] as Record<string, number>).precision, 1 / 30, 1e-15)
  assert.deepEqual(res.ties, {'1': 0, '3': 1, '10': 0})
  assert.equal(res.retrieved.duplicate_rows, 1)
  assert.equal(res.retrieved.excluded_rows, 2)
  // the tie warning: one line on stderr, stdout stays pure JSON
  assert.equal(r.stderr, 'warning: ' + join(d, 'r.csv') + ': tied scores cross the K boundary for 1 key at K=3 (e.g. key "a"); ties keep file order\n')
})

test('recall --rank: ascending, ties in file order; file order when no sort column is given (with a hint)', () => {
  const d = tempDir()
  const truth = writeFile(d, 't.csv', csvOf({user_id: [1, 1], item_id: [12, 13]}))
  const ret = writeFile(d, 'r.csv', csvOf({user_id: [1, 1, 1, 1], item_id: [10, 11, 12, 13], rank: [2, 1, 2, 0.5]}))
  // by rank: 13, 11, 10, 12 -> at K=2 hit 13 at 1; at K=3 the tie 10|12 crosses no boundary (positions 3, 4 at K=3: yes it does)
  const {r, j} = json(['--retrieved', ret, '--truth', truth, '--rank', 'rank', '-k', '1,2,3'])
  const at = (j as unknown as Block).at as Record<string, Record<string, number>>
  assert.equal(at['1'].click_recall, 0.5)
  assert.equal(at['2'].click_recall, 0.5)
  assert.equal(at['3'].click_recall, 0.5) // 10 is third (file order before 12)
  assert.match(r.stderr, /tied ranks cross the K boundary for 1 key at K=3/)
  // no --rank / --score: file order 10, 11, 12, 13
  const f = json(['--retrieved', ret, '--truth', truth, '-k', '2,3'])
  const fat = (f.j as unknown as Block).at as Record<string, Record<string, number>>
  assert.equal(fat['2'].click_recall, 0)
  assert.equal(fat['3'].click_recall, 0.5)
  assert.match(f.r.stderr, /ranking by file order; the file has a "rank" column \(use --rank rank/)
})

test('recall list format: separators, duplicates inside a list, integer and string ids share dictionaries', () => {
  const d = tempDir()
  const truth = writeFile(d, 't.csv', csvOf({user_id: ['7', '7', 'x9'], item_id: ['5', 'ad-3', '5']}))
  const ret = writeFile(d, 'r.csv', 'user_id,items\n7,"5 5,ad-3"\nx9,"8, 5"\n')
  // 7: 5, ad-3 (the repeated 5 once) -> both hits at K=2; x9: 8, 5 -> hit at 2
  const {j} = json(['--retrieved', ret, '--items', 'items', '--truth', truth, '-k', '1,2'])
  const at = (j as unknown as Block).at as Record<string, Record<string, number>>
  near(at['1'].click_recall, (1 / 2 + 0) / 2, 1e-15)
  near(at['2'].click_recall, 1, 1e-15)
  near(at['2'].mrr, (1 + 1 / 2) / 2, 1e-15)
  assert.equal((j.retrieved as {duplicate_rows: number}).duplicate_rows, 1)
  // a custom separator
  const piped = writeFile(d, 'p.tsv', 'user_id\titems\n7\t5|ad-3\nx9\t8|5\n')
  const p = json(['--retrieved', piped, '--items', 'items', '--sep', '|', '--truth', truth, '-k', '2'])
  near(((p.j as unknown as Block).at['2'] as Record<string, number>).click_recall, 1, 1e-15)
})

test('recall single-dump mode by hand: label-1 rows are the truth, keys without positives are not evaluated', () => {
  const d = tempDir()
  const dump = writeFile(d, 'd.csv', csvOf({user_id: ['u1', 'u1', 'u1', 'u2', 'u2', 'u3'], item_id: ['i1', 'i2', 'i3', 'i1', 'i4', 'i5'], score: [0.9, 0.8, 0.7, 0.6, 0.5, 0.1], label: [0, 1, 1, 0, 0, 1], bid: [1, 2, 3, 1, 1, 5]}))
  const {j} = json([dump, '-k', '1,2'])
  const res = j as unknown as Block
  assert.equal(res.keys, 2) // u1, u3
  const at = res.at as Record<string, Record<string, number>>
  near(at['1'].click_recall, 0.5, 1e-15) // u1: {i1} misses; u3: {i5} hits
  near(at['1'].cost_recall, 5 / 10, 1e-15)
  near(at['1'].coverage, 2 / 5, 1e-15)
  near(at['2'].click_recall, 0.75, 1e-15) // u1: i1, i2 -> 1 of 2
  near(at['2'].cost_recall, 7 / 10, 1e-15)
  // no item column: every row is its own item
  const noItem = writeFile(d, 'n.csv', csvOf({user_id: ['u1', 'u1', 'u2'], pctr: [0.2, 0.9, 0.5], click: ['true', 'false', 'TRUE']}))
  const n = json([noItem, '-k', '1'])
  near(((n.j as unknown as Block).at['1'] as Record<string, number>).click_recall, 0.5, 1e-15)
  assert.match(n.r.stderr, /no item column .* each row of .* counts as its own item/)
})

test('recall reads stdin, TSV and JSONL, and --drop-invalid counts dropped rows', () => {
  const d = tempDir()
  const truth = writeFile(d, 't.jsonl', '{"user_id": 1, "item_id": 2, "bid": 1.5}\n{"user_id": 2, "item_id": 3, "bid": 1}\n')
  const {j} = json(['--retrieved', '-', '--format', 'tsv', '--truth', truth, '-k', '1'], 'user_id\titem_id\n1\t2\n2\t4\n')
  near(((j as unknown as Block).at['1'] as Record<string, number>).click_recall, 0.5, 1e-15)
  const bad = writeFile(d, 'r.csv', 'user_id,item_id,score\n1,2,0.5\n1,3,oops\n2,3,0.1\n')
  const t2 = writeFile(d, 't.csv', 'user_id,item_id,bid\n1,2,1\n2,3,1\n')
  const dropped = json(['--retrieved', bad, '--truth', t2, '--score', 'score', '--drop-invalid', '-k', '1'])
  assert.equal(dropped.j.dropped_rows, 1)
  assert.equal((dropped.j.retrieved as {dropped_rows: number}).dropped_rows, 1)
})

test('recall --truth-top on long-format truth ranked by --truth-rank', () => {
  const d = tempDir()
  // truth ranking a < b < c < d written in scrambled order; retrieved b e a c (the unit test's case)
  const truth = writeFile(d, 't.csv', csvOf({query: ['q', 'q', 'q', 'q'], item_id: ['c', 'a', 'd', 'b'], rank: [3, 1, 4, 2]}))
  const ret = writeFile(d, 'r.csv', csvOf({query: ['q', 'q', 'q', 'q'], item_id: ['b', 'e', 'a', 'c']}))
  const {j} = json(['--retrieved', ret, '--truth', truth, '--by', 'query', '--truth-top', '--truth-rank', 'rank', '-k', '1,2,3,4'])
  const at = (j as unknown as Block).at as Record<string, Record<string, number>>
  assert.deepEqual([at['1'].click_recall, at['2'].click_recall], [0, 0.5])
  near(at['3'].click_recall, 2 / 3, 1e-15)
  near(at['4'].click_recall, 3 / 4, 1e-15)
  assert.equal((j.columns as Record<string, string>)['truth-rank'], 'rank')
})
