import {test} from 'node:test'
import assert from 'node:assert/strict'
import {KeyDict} from '../../src/io/index.js'
import {near} from '../helpers/assert.js'
import {rankLists, sortStable} from '../../src/metrics/recall-lists.js'
import {buildUnits, discounts, evaluateUnits, metricsOf, RecallScratch} from '../../src/metrics/recall-at-k.js'
import {evaluateRecall, RecallInput, segmentOrder} from '../../src/metrics/recall.js'

// Every expected value below is derived by hand from the definitions in src/metrics/recall-at-k.ts;
// the derivation is in the comment next to it.

const LOG3 = Math.log2(3)

interface Case {
  retrieved: [string, string, number?][]
  truth: [string, string, number?, string?][]
  exclude?: [string, string][]
  descending?: boolean
  truthOrder?: number[]
}

/** Encode a small case with shared dictionaries, as the command does. */
function encode(c: Case): {input: RecallInput; keys: KeyDict; items: KeyDict} {
  const keys = new KeyDict()
  const items = new KeyDict()
  const segs = new KeyDict()
  const tk = Int32Array.from(c.truth, (r) => keys.id(r[0]))
  const ti = Int32Array.from(c.truth, (r) => items.id(r[1]))
  const rk = Int32Array.from(c.retrieved, (r) => keys.id(r[0]))
  const ri = Int32Array.from(c.retrieved, (r) => items.id(r[1]))
  const hasScore = c.retrieved.some((r) => r[2] !== undefined)
  const hasSeg = c.truth.some((r) => r[3] !== undefined)
  const segments = hasSeg ? Int32Array.from(c.truth, (r) => segs.id(r[3] as string)) : undefined
  const ex = c.exclude ? {keys: Int32Array.from(c.exclude, (r) => keys.id(r[0])), items: Int32Array.from(c.exclude, (r) => items.id(r[1]))} : undefined
  return {
    keys,
    items,
    input: {
      nKeys: keys.size,
      nItems: items.size,
      keyText: (id) => keys.values[id],
      truth: {
        keys: tk,
        items: ti,
        bids: Float64Array.from(c.truth, (r) => r[2] ?? 1),
        segments,
        order: c.truthOrder ? {values: Float64Array.from(c.truthOrder), descending: false} : undefined,
      },
      truthFile: 'truth.csv',
      truthRows: c.truth.length,
      truthDroppedRows: 0,
      retrievers: [
        {
          name: 'r',
          file: 'r.csv',
          rows: {keys: rk, items: ri, order: hasScore ? {values: Float64Array.from(c.retrieved, (r) => r[2] as number), descending: c.descending ?? true} : undefined},
          fileRows: c.retrieved.length,
          droppedRows: 0,
          keyColumn: 'user_id',
        },
      ],
      exclude: ex,
      segmentNames: hasSeg ? segs.values : undefined,
      mode: 'files',
      columns: {},
    },
  }
}

/** The worked example of docs/recall.md: ties, a duplicate, an exclusion, a key without retrieval, an emptied list. */
const WORKED: Case = {
  retrieved: [
    ['a', 'x', 0.9],
    ['a', 'y', 0.5],
    ['a', 'z', 0.5],
    ['a', 'x', 0.3], // duplicate: counts once, at x's best position (1)
    ['a', 'w', 0.7], // excluded below
    ['a', 'v', 0.5],
    ['c', 'm', 0.4], // c's only row is excluded: an empty list, not a missing one
    ['d', 'n', 0.8], // d has no truth: not evaluated, but n counts in coverage's denominator
  ],
  truth: [
    ['a', 'z', 2],
    ['a', 'q', 3],
    ['b', 'p', 1], // b has no retrieved rows at all
    ['a', 'z', 1], // a second click on z: T stays {z, q}, its bid adds to cost
    ['c', 'm', 1],
  ],
  exclude: [
    ['a', 'w'],
    ['c', 'm'],
  ],
}

test('rankLists orders by score descending, stably, keeps duplicates once at their best position and drops excluded pairs', () => {
  const {input, items} = encode(WORKED)
  const r = input.retrievers[0].rows
  const lists = rankLists(r, {nKeys: input.nKeys, nItems: input.nItems, exclude: input.exclude, tieKs: [1, 2, 3, 10]})
  const list = (k: number) => Array.from(lists.items.subarray(lists.start[k], lists.start[k] + lists.length[k]), (i) => items.values[i])
  // sorted: x .9, w .7, y .5, z .5, v .5 (file order among the ties), x .3 (duplicate); w excluded
  assert.deepEqual(list(0), ['x', 'y', 'z', 'v'])
  assert.deepEqual(list(2), []) // c
  assert.deepEqual(list(3), ['n']) // d
  assert.equal(lists.rows(1), 0) // b: no rows
  assert.equal(lists.rows(2), 1)
  assert.equal(lists.duplicateRows, 1)
  assert.equal(lists.excludedRows, 2)
  assert.equal(lists.distinctItems, 7) // x y z w v m n
  // ties across the boundary: K=2 (y .5 | z .5) and K=3 (z .5 | v .5); not K=1 (x .9 | y .5) nor K=10 (list of 4)
  assert.deepEqual(Array.from(lists.ties), [0, 1, 1, 0])
  assert.equal(lists.tieExample[1], 0)
})

test('rankLists orders by rank ascending (ties in file order) and keeps file order without a sort column', () => {
  const keys = Int32Array.of(0, 0, 0, 0)
  const items = Int32Array.of(10, 11, 12, 13)
  const byRank = rankLists({keys, items, order: {values: Float64Array.of(2, 1, 2, 0.5), descending: false}}, {nKeys: 1, nItems: 14})
  assert.deepEqual(Array.from(byRank.items.subarray(0, byRank.length[0])), [13, 11, 10, 12])
  const byFile = rankLists({keys, items}, {nKeys: 1, nItems: 14})
  assert.deepEqual(Array.from(byFile.items.subarray(0, byFile.length[0])), [10, 11, 12, 13])
  assert.equal(byFile.ties[0] ?? 0, 0)
})

test('rankLists ranks only needed keys but counts every key\'s items as retrieved', () => {
  const lists = rankLists({keys: Int32Array.of(0, 1, 1), items: Int32Array.of(0, 1, 2)}, {nKeys: 2, nItems: 3, needed: Uint8Array.of(1, 0)})
  assert.equal(lists.length[0], 1)
  assert.equal(lists.length[1], 0)
  assert.equal(lists.distinctItems, 3)
})

test('sortStable sorts ascending and keeps the order of equal values (long lists go through the merges)', () => {
  const n = 300
  const v = new Float64Array(n)
  const id = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    v[i] = (i * 7919) % 13 // many ties
    id[i] = i
  }
  sortStable(v, id, n, new Float64Array(n), new Int32Array(n))
  for (let i = 1; i < n; i++) {
    assert.ok(v[i - 1] <= v[i])
    if (v[i - 1] === v[i]) assert.ok(id[i - 1] < id[i], `tie order at ${i}`)
  }
})

test('discounts: 1/log2(i+1) and the ideal DCG of the first m positions', () => {
  const {disc, ideal} = discounts(3)
  near(disc[0], 1, 1e-15)
  near(disc[1], 1 / LOG3, 1e-15)
  near(disc[2], 0.5, 1e-15)
  near(ideal[2], 1 + 1 / LOG3, 1e-15)
})

test('evaluateRecall on the worked example: every metric at K = 1, 3 and 10', () => {
  const {result, warnings} = evaluateRecall(encode(WORKED).input, {ks: [1, 3, 10]})
  assert.equal(result.keys, 3) // a, b, c (d has no truth)
  assert.equal(result.keys_without_retrieval, 1) // b
  // K=1: R_a = {x}: no hits anywhere; coverage {x} / 7
  assert.deepEqual(result.at['1'], {click_recall: 0, click_recall_micro: 0, cost_recall: 0, hitrate: 0, precision: 0, ndcg: 0, mrr: 0, map: 0, coverage: 1 / 7})
  // K=3: R_a = x y z, hit z at position 3; T_a = {z, q}; b and c have no hit
  const k3 = result.at['3']
  near(k3.click_recall, (1 / 2) / 3, 1e-15, 'click_recall') // (1/2 + 0 + 0) / 3
  near(k3.click_recall_micro, 1 / 4, 1e-15, 'micro') // 1 / (2 + 1 + 1)
  near(k3.cost_recall as number, 3 / 8, 1e-15, 'cost_recall') // z's two clicks 2 + 1 over 2 + 3 + 1 + 1 + 1
  near(k3.hitrate, 1 / 3, 1e-15, 'hitrate')
  near(k3.precision, (1 / 3) / 3, 1e-15, 'precision')
  near(k3.ndcg, 0.5 / (1 + 1 / LOG3) / 3, 1e-15, 'ndcg') // DCG 1/log2(4); IDCG over min(2, 3) positions
  near(k3.mrr, (1 / 3) / 3, 1e-15, 'mrr')
  near(k3.map, (1 / 3 / 2) / 3, 1e-15, 'map') // (1/3) / min(2, 3)
  near(k3.coverage as number, 3 / 7, 1e-15, 'coverage')
  // K=10: R_a = x y z v (the list is shorter than K): same hits, precision over K = 10
  const k10 = result.at['10']
  near(k10.click_recall, 1 / 6, 1e-15)
  near(k10.precision, (1 / 10) / 3, 1e-15)
  near(k10.ndcg, k3.ndcg, 1e-15)
  near(k10.map, k3.map, 1e-15)
  near(k10.coverage as number, 4 / 7, 1e-15)
  assert.deepEqual(result.ties, {'1': 0, '3': 1, '10': 0})
  assert.equal(warnings.length, 1)
  assert.match(warnings[0], /tied scores cross the K boundary for 1 key at K=3 \(e\.g\. key "a"\); ties keep file order/)
})

test('evaluateRecall: cost_recall is null without bids, with a note', () => {
  const {input} = encode(WORKED)
  input.truth.bids = undefined
  const {result} = evaluateRecall(input, {ks: [3]})
  assert.equal(result.at['3'].cost_recall, null)
  assert.match(result.notes.join(' '), /no bid column/)
})

test('evaluateRecall: a retriever that shares no key with the truth is an input error naming the file and column', () => {
  const c = encode({retrieved: [['u9', 'x', 1]], truth: [['u1', 'x']]})
  assert.throws(() => evaluateRecall(c.input, {ks: [1]}), (e: Error & {file?: string; column?: string}) => {
    assert.equal(e.file, 'r.csv')
    assert.equal(e.column, 'user_id')
    assert.match(e.message, /shares no key with the truth file truth\.csv .*"u9".*"u1"/)
    return true
  })
})

test('truthTop: T at K is the first K distinct truth items in truth order (k-NN recall)', () => {
  // truth ranking a < b < c < d given by a rank column in scrambled file order; retrieved b e a c
  const c = encode({
    retrieved: [
      ['q', 'b'],
      ['q', 'e'],
      ['q', 'a'],
      ['q', 'c'],
    ],
    truth: [
      ['q', 'c'],
      ['q', 'a'],
      ['q', 'd'],
      ['q', 'b'],
    ],
    truthOrder: [3, 1, 4, 2],
  })
  const top = evaluateRecall(c.input, {ks: [1, 2, 3, 4], truthTop: true}).result
  assert.equal(top.at['1'].click_recall, 0) // T = {a}, R = {b}
  near(top.at['2'].click_recall, 0.5, 1e-15) // T = {a, b}, R = {b, e}
  near(top.at['2'].ndcg, 1 / (1 + 1 / LOG3), 1e-15)
  near(top.at['2'].map, 0.5, 1e-15) // (1/1) / 2
  near(top.at['3'].click_recall, 2 / 3, 1e-15) // T = {a, b, c}, R = {b, e, a}
  near(top.at['3'].map, (1 + 2 / 3) / 3, 1e-15)
  near(top.at['3'].ndcg, 1.5 / (1 + 1 / LOG3 + 0.5), 1e-15)
  near(top.at['4'].click_recall, 3 / 4, 1e-15)
  near(top.at['4'].map, (1 + 2 / 3 + 3 / 4) / 4, 1e-15)
  // without truthTop every truth item counts at every K
  const all = evaluateRecall(c.input, {ks: [2]}).result
  near(all.at['2'].click_recall, 1 / 4, 1e-15)
  near(all.at['2'].cost_recall as number, 1 / 4, 1e-15)
  // with truthTop, cost counts only the rows of T's items
  near(top.at['2'].cost_recall as number, 1 / 2, 1e-15)
})

test('segments: per segment, a key is evaluated on its truth rows within that segment', () => {
  const c = encode({
    retrieved: [
      ['u', 'x'],
      ['u', 'q'],
      ['v', 'q'],
    ],
    truth: [
      ['u', 'x', 1, 'B'],
      ['v', 'z', 1, 'A'],
      ['u', 'y', 1, 'A'],
      ['u', 'x', 1, 'A'],
    ],
  })
  const r = evaluateRecall(c.input, {ks: [2]}).result
  near(r.at['2'].click_recall, (1 / 2 + 0) / 2, 1e-15) // overall: u T={x,y} h=1; v T={z} h=0
  const segs = r.segments ?? {}
  assert.deepEqual(Object.keys(segs), ['A', 'B'])
  assert.equal(segs.A.keys, 2)
  near(segs.A.at['2'].click_recall, (1 / 2 + 0) / 2, 1e-15) // A: u T={y,x} h=1; v T={z} h=0
  assert.equal(segs.B.keys, 1)
  near(segs.B.at['2'].click_recall, 1, 1e-15) // B: u T={x} h=1
  near(segs.B.at['2'].coverage as number, 1, 1e-15) // R_u = {x, q}: both retrieved items
})

test('segmentOrder sorts names, numbers by value', () => {
  const names = ['mid', '10', 'high', '2']
  assert.deepEqual(segmentOrder(names).map((i) => names[i]), ['2', '10', 'high', 'mid'])
})

test('evaluateUnits keeps per-unit values for the bootstrap: recall, hit, hit bids, bids per K', () => {
  const {input} = encode(WORKED)
  const {byKey} = buildUnits(input.truth, input.nKeys)
  const lists = rankLists(input.retrievers[0].rows, {nKeys: input.nKeys, nItems: input.nItems, exclude: input.exclude})
  const ev = evaluateUnits(lists, input.truth, byKey, 0, byKey.count, {ks: [3], keepPerUnit: true}, new RecallScratch(input.nItems))
  // units in key-id order a, b, c
  assert.deepEqual(Array.from(ev.perUnit as Float64Array), [0.5, 1, 3, 6, 0, 0, 0, 1, 0, 0, 0, 1])
  const m = metricsOf(ev.at[0], lists.distinctItems, true)
  near(m.click_recall, 1 / 6, 1e-15)
})
