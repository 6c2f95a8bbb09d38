import {test} from 'node:test'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT} from '../helpers/cli.js'
import {near} from '../helpers/assert.js'
import {evaluateRecall, RecallInput} from '../../src/metrics/recall.js'

// The published vectors of fixtures/vectors/retrieval.json through the pure functions, built the
// way ../shared/tools/contract-check.mjs builds its CSV files (which runs them through the CLI).
interface Vector {
  id: string
  source: string
  query?: number[]
  score?: number[]
  relevant?: boolean[]
  pos_idx?: number[][]
  pos_len?: number[]
  true?: {user: number[]; item: number[]}
  pred?: {user: number[]; item: number[]; score: number[]}
  expect?: Record<string, number>
  expect_per_user?: Record<string, number[]>
}
const cases: Vector[] = JSON.parse(readFileSync(join(ROOT, 'fixtures/vectors/retrieval.json'), 'utf8')).cases

function input(ret: {user: number[]; item: number[]; order?: number[]; descending?: boolean}, truth: {user: number[]; item: number[]}): RecallInput {
  // integer keys and items are their own ids here (dense enough for a test)
  const nKeys = Math.max(...ret.user, ...truth.user) + 1
  const nItems = Math.max(...ret.item, ...truth.item) + 1
  return {
    nKeys,
    nItems,
    keyText: String,
    truth: {keys: Int32Array.from(truth.user), items: Int32Array.from(truth.item), bids: new Float64Array(truth.user.length).fill(1)},
    truthFile: 't',
    truthRows: truth.user.length,
    truthDroppedRows: 0,
    retrievers: [{name: 'r', file: 'r', rows: {keys: Int32Array.from(ret.user), items: Int32Array.from(ret.item), order: ret.order ? {values: Float64Array.from(ret.order), descending: ret.descending ?? true} : undefined}, fileRows: ret.user.length, droppedRows: 0, keyColumn: 'user_id'}],
    mode: 'files',
    columns: {},
  }
}
const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length

for (const c of cases) {
  test(`retrieval vector ${c.id} (${c.source})`, () => {
    if (c.query && c.score && c.relevant && c.expect) {
      const items = c.query.map((_, i) => i)
      const rel = items.filter((i) => (c.relevant as boolean[])[i])
      const {result} = evaluateRecall(input({user: c.query, item: items, order: c.score}, {user: rel.map((i) => (c.query as number[])[i]), item: rel}), {ks: [2, 100]})
      near(result.at['2'].click_recall, c.expect['recall@2'], 1e-12)
      near(result.at['2'].precision, c.expect['precision@2'], 1e-12)
      near(result.at['100'].ndcg, c.expect.ndcg_full, 1e-4) // published to 4 decimals
      near(result.at['100'].mrr, c.expect.mrr_full, 1e-12)
      near(result.at['100'].map, c.expect.map_full, 1e-4)
    } else if (c.pos_idx && c.pos_len && c.expect_per_user) {
      const ret = {user: [] as number[], item: [] as number[], order: [] as number[], descending: false}
      const truth = {user: [] as number[], item: [] as number[]}
      c.pos_idx.forEach((row, u) => {
        row.forEach((hit, j) => {
          ret.user.push(u)
          ret.item.push(u * 100 + j)
          ret.order.push(j + 1)
          if (hit) {
            truth.user.push(u)
            truth.item.push(u * 100 + j)
          }
        })
        for (let extra = row.filter(Boolean).length; extra < (c.pos_len as number[])[u]; extra++) {
          truth.user.push(u)
          truth.item.push(u * 100 + 50 + extra)
        }
      })
      const {result} = evaluateRecall(input(ret, truth), {ks: [3]})
      const e = c.expect_per_user
      near(result.at['3'].click_recall, mean(e['recall@3']), 1e-12)
      near(result.at['3'].mrr, mean(e['mrr@3']), 1e-12)
      near(result.at['3'].map, mean(e['map@3_denominator_min_T_K']), 1e-12)
    } else if (c.true && c.pred && c.expect) {
      const {result} = evaluateRecall(input({user: c.pred.user, item: c.pred.item, order: c.pred.score}, c.true), {ks: [10]})
      near(result.at['10'].precision, c.expect['precision@10'], 1e-12)
      near(result.at['10'].click_recall, c.expect['recall@10'], 1e-12)
      near(result.at['10'].ndcg, c.expect['ndcg@10'], 1e-5) // published to 6 decimals
      near(result.at['10'].map, c.expect['map@10_min_T_K'], 1e-5)
    } else throw new Error(`unknown vector shape ${c.id}`)
  })
}
