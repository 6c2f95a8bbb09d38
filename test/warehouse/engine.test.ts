import {test} from 'node:test'
import assert from 'node:assert/strict'
import {gzipSync} from 'node:zlib'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {receval, ROOT, tempDir, writeFile} from '../helpers/cli.js'
import {near} from '../helpers/assert.js'
import {DUCKDB_MISSING, loadDuckDB} from '../helpers/duckdb.js'

// `receval auc --engine duckdb` runs the statistics query of `receval sql auc --dialect duckdb`
// in-process over the input file and merges the result: it must print what the row-level
// command prints (to 1e-12; AUC and DeLong from the same histogram), with the same errors.
const skip = (await loadDuckDB()) ? false : DUCKDB_MISSING
const dir = tempDir('receval-engine-')
const fx = (f: string) => join(ROOT, 'fixtures', f)

type Json = {file: string; rows: number; dropped_rows: number; positives: number; negatives: number; engine?: string; scores: Record<string, Record<string, unknown>>; comparisons?: {delta: number; p_value: number | null}[]}

function both(args: string[]): {rows: Json; engine: Json} {
  const r = receval(['auc', ...args, '--json'])
  const e = receval(['auc', ...args, '--engine', 'duckdb', '--json'])
  assert.equal(r.code, 0, r.stderr)
  assert.equal(e.code, 0, e.stderr)
  return {rows: r.json as Json, engine: e.json as Json}
}

/** Every number of every score equal to 1e-12 relative (arrays element-wise), and the counts exactly. */
function same(got: Json, want: Json): void {
  assert.equal(got.engine, 'duckdb')
  assert.equal(got.file, want.file)
  for (const k of ['rows', 'dropped_rows', 'positives', 'negatives'] as const) assert.equal(got[k], want[k], k)
  assert.deepEqual(Object.keys(got.scores), Object.keys(want.scores))
  for (const [s, r] of Object.entries(want.scores)) {
    for (const [k, v] of Object.entries(r)) {
      const g = got.scores[s][k]
      if (typeof v === 'number') near(g as number, v, 1e-12, `${s}.${k}`)
      else if (k === 'thresholds') {
        const gs = g as Record<string, number>[]
        for (const [i, t] of (v as Record<string, number>[]).entries()) for (const [tk, tv] of Object.entries(t)) if (typeof tv === 'number') near(gs[i][tk], tv, 1e-12, `${s}.thresholds[${i}].${tk}`)
      } else assert.deepEqual(g, v, `${s}.${k}`)
    }
  }
}

test('auc --engine duckdb equals the row-level command: two scores, GAUC, DeLong, thresholds', {skip}, () => {
  const {rows, engine} = both([fx('ctr.csv'), '--score', 'pctr', '--score', 'pctr_v2', '--group', 'user_id', '--ci', '--thresholds', '0.03,0.1'])
  same(engine, rows)
  assert.equal(engine.scores.pctr.auc, rows.scores.pctr.auc, 'AUC bit-identical (same histogram)')
  near(engine.comparisons![0].delta, rows.comparisons![0].delta, 1e-12, 'delta')
  assert.equal(engine.comparisons![0].p_value, null, 'no paired test from per-score statistics')
})

test('auc --engine duckdb: weights, string ids with logits, ties', {skip}, () => {
  let r = both([fx('reference/weighted.csv'), '--weight', 'w', '--group', 'user_id'])
  same(r.engine, r.rows)
  r = both([fx('reference/logits.csv'), '--score', 'logit', '--group', 'user_id'])
  same(r.engine, r.rows)
  r = both([fx('reference/ties.csv'), '--ci'])
  same(r.engine, r.rows)
})

test('auc --engine duckdb reads gzip (by magic bytes), TSV, JSONL and Parquet like the row reader', {skip}, () => {
  const csv = readFileSync(fx('ctr.csv'), 'utf8')
  const gz = writeFile(dir, 'ctr-gz.data.csv', gzipSync(csv))
  const lines = csv.trim().split('\n')
  const header = lines[0].split(',')
  const tsv = writeFile(dir, 'ctr.tsv', lines.map((l) => l.split(',').join('\t')).join('\n') + '\n')
  const jsonl = writeFile(dir, 'ctr.jsonl', lines.slice(1).map((l) => {
    const v = l.split(',')
    return JSON.stringify({user_id: v[0], item_id: v[1], label: Number(v[2]), pctr: Number(v[3]), pctr_v2: Number(v[4]), bid: Number(v[5])})
  }).join('\n') + '\n')
  assert.deepEqual(header, ['user_id', 'item_id', 'label', 'pctr', 'pctr_v2', 'bid'])
  for (const f of [gz, tsv, jsonl, fx('parquet/ctr-2000.zstd.parquet')]) {
    const r = both([f, '--score', 'pctr', '--group', 'user_id', '--weight', 'bid'])
    same(r.engine, r.rows)
  }
})

test('auc --engine duckdb: bad input exits 2 with one line', {skip}, () => {
  const bad = writeFile(dir, 'bad.csv', 'label,score\n1,0.5\n0,abc\n1,0.2\n0,0.1\n')
  let r = receval(['auc', bad, '--engine', 'duckdb'])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /bad\.csv: the query left out 1 rows with a missing or invalid value .*--drop-invalid/)
  assert.equal(r.stderr.trim().split('\n').length, 1)
  r = receval(['auc', bad, '--engine', 'duckdb', '--drop-invalid', '--json'])
  assert.equal(r.code, 0, r.stderr)
  assert.equal((r.json as Json).dropped_rows, 1)
  assert.equal((r.json as Json).rows, 3)
  r = receval(['auc', fx('ctr.csv'), '--score', 'nope', '--engine', 'duckdb'])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /ctr\.csv: no column "nope" \(--score\); the file has columns: "user_id", "item_id"/)
  r = receval(['auc', join(dir, 'missing.csv'), '--engine', 'duckdb'])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /missing\.csv: no such file/)
  r = receval(['auc', writeFile(dir, 'one.csv', 'label,score\n1,0.5\n1,0.3\n'), '--engine', 'duckdb'])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /one\.csv: all 2 rows have label = 1/)
})

test('auc --engine duckdb refuses what needs rows, and stdin', () => {
  let r = receval(['auc', fx('ctr.csv'), '--engine', 'duckdb', '--html', join(dir, 'r.html')])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /--html and --curves need the rows/)
  r = receval(['auc', '-', '--format', 'csv', '--engine', 'duckdb'], {input: 'label,score\n1,0.5\n0,0.1\n'})
  assert.equal(r.code, 2)
  assert.match(r.stderr, /--engine duckdb reads files, not stdin/)
  r = receval(['auc', fx('ctr.csv'), '--engine', 'spark'])
  assert.equal(r.code, 2)
})
