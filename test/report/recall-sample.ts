import {KeyDict} from '../../src/io/index.js'
import {evaluateRecall, RecallInput, RecallResult} from '../../src/metrics/recall.js'

/**
 * Deterministic recall results for report tests, computed the way the command computes them
 * (evaluateRecall) from seeded in-memory rows: 40 users, two retrievers of 12 items, clicks with
 * bids and a segment per user.
 */
export interface RecallSampleOptions {
  retrievers?: number
  segments?: boolean
  bootstrap?: boolean
  bids?: boolean
  /** names for the retrievers and segments (hostile strings in escaping tests) */
  names?: string[]
  segmentNames?: string[]
}

export function recallSample(o: RecallSampleOptions = {}): RecallResult {
  let st = 7
  const rnd = () => ((st = (Math.imul(st, 1664525) + 1013904223) >>> 0) / 2 ** 32)
  const keys = new KeyDict()
  const items = new KeyDict()
  const segs = new KeyDict()
  const segNames = o.segmentNames ?? ['new', 'casual', 'heavy']
  const tk: number[] = []
  const ti: number[] = []
  const tb: number[] = []
  const ts: number[] = []
  for (let u = 0; u < 40; u++) {
    const seg = segs.id(segNames[u % segNames.length])
    for (let c = 0; c < 1 + (u % 4); c++) {
      tk.push(keys.id(`u${u}`))
      ti.push(items.idOfInt(Math.floor(rnd() * 60)))
      tb.push(Math.round((0.1 + rnd() * 3) * 100) / 100)
      ts.push(seg)
    }
  }
  const names = o.names ?? ['two-tower', 'item-cf']
  const retrievers = Array.from({length: o.retrievers ?? 2}, (_, r) => {
    const rk: number[] = []
    const ri: number[] = []
    const rs: number[] = []
    for (let u = 0; u < 38; u++) {
      for (let j = 0; j < 12; j++) {
        rk.push(keys.id(`u${u}`))
        ri.push(items.idOfInt(Math.floor(rnd() * (60 - 15 * r))))
        rs.push(Math.round(rnd() * 1e6) / 1e6)
      }
    }
    return {name: names[r], file: `${names[r]}.csv`, rows: {keys: Int32Array.from(rk), items: Int32Array.from(ri), order: {values: Float64Array.from(rs), descending: true}}, fileRows: rk.length, droppedRows: 0, keyColumn: 'user_id'}
  })
  const input: RecallInput = {
    nKeys: keys.size,
    nItems: items.size,
    keyText: (id) => keys.values[id],
    truth: {keys: Int32Array.from(tk), items: Int32Array.from(ti), bids: o.bids === false ? undefined : Float64Array.from(tb), segments: o.segments ? Int32Array.from(ts) : undefined},
    truthFile: 'clicks.csv',
    truthRows: tk.length,
    truthDroppedRows: 0,
    retrievers,
    segmentNames: o.segments ? segs.values : undefined,
    mode: 'files',
    columns: {by: 'user_id', item: 'item_id', score: 'score', bid: o.bids === false ? undefined : 'bid', segment: o.segments ? 'activity' : undefined},
  }
  const compare = retrievers.length > 1
  return evaluateRecall(input, {ks: [1, 5, 10], bootstrap: o.bootstrap || compare ? {replicates: 200, seed: 3, alpha: 0.05} : undefined, intervals: o.bootstrap}).result
}
