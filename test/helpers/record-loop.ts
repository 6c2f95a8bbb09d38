// A test helper process: records COUNT runs into DB through the run store, one transaction
// each, printing each committed id on stdout. Used by the concurrency and kill -9 tests.
//   node dist/test/helpers/record-loop.js DB COUNT WORKER [RESULT_KB]
import {RunStore} from '../../src/history/store.js'

const [db, countText, worker, kbText] = process.argv.slice(2)
const count = Number(countText)
const pad = 'x'.repeat(Number(kbText ?? '0') * 1024)
const store = await RunStore.open(db, {create: true, recevalVersion: 'test'})
for (let seq = 0; seq < count; seq++) {
  const id = store.record({
    command: 'auc',
    argv: ['preds.csv', '--record', '--tag', `worker=${worker}`],
    cwd: '/tmp',
    created_at: new Date().toISOString(),
    duration_ms: 1,
    receval_version: 'test',
    inputs: [
      {path: `in-${worker}-${seq}.csv`, format: 'csv', bytes: seq, sha256: 'ab'.repeat(32)},
      {path: 'second.csv', format: 'csv', bytes: 1},
    ],
    tags: {worker, seq: String(seq), kind: 'loop'},
    result: {command: 'auc', worker, seq, rows: seq, scores: {p: {auc: seq / (count + 1)}}, pad},
  })
  process.stdout.write(`${id}\n`)
}
store.close()
