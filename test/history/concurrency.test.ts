import {test} from 'node:test'
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {join} from 'node:path'
import {BIN, ROOT, tempDir} from '../helpers/cli.js'
import {runsIn, sqlite} from '../helpers/db.js'

const LOOP = join(ROOT, 'dist', 'test', 'helpers', 'record-loop.js')

interface Proc {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

function start(args: string[], onStdout?: (text: string, kill: () => void) => void): Promise<Proc> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    p.stdout.on('data', (d) => {
      stdout += d
      onStdout?.(stdout, () => p.kill('SIGKILL'))
    })
    p.stderr.on('data', (d) => (stderr += d))
    p.on('error', reject)
    p.on('close', (code, signal) => resolve({code, signal, stdout, stderr}))
  })
}

function integrity(file: string): string {
  const db = sqlite(file)
  try {
    return (db.pragma('integrity_check', {simple: true}) as string) + '/' + (db.pragma('foreign_key_check') as unknown[]).length
  } finally {
    db.close()
  }
}

test('six receval processes recording at once into a fresh file: all six runs are there', async () => {
  const file = join(tempDir(), 'ci.sqlite')
  const jobs = Array.from({length: 6}, (_, i) =>
    start([BIN, 'auc', 'fixtures/history/preds-a.csv', '--score', 'pctr', '--record', '--db', file, '--tag', `job=${i}`, '--json']),
  )
  const done = await Promise.all(jobs)
  for (const d of done) assert.equal(d.code, 0, d.stderr)
  const runs = runsIn(file)
  assert.equal(runs.length, 6)
  assert.deepEqual(runs.map((r) => r.tags.job).sort(), ['0', '1', '2', '3', '4', '5'])
  assert.ok(runs.every((r) => r.inputs === 1 && JSON.parse(r.result).command === 'auc'))
  assert.equal(integrity(file), 'ok/0')
})

test('four writers x 60 runs each, interleaved: every (writer, seq) stored exactly once, none torn', async () => {
  const file = join(tempDir(), 'busy.sqlite')
  const done = await Promise.all(['a', 'b', 'c', 'd'].map((w) => start([LOOP, file, '60', w, '4'])))
  for (const d of done) assert.equal(d.code, 0, d.stderr)
  const runs = runsIn(file)
  assert.equal(runs.length, 240)
  const seen = new Set(runs.map((r) => `${r.tags.worker}/${r.tags.seq}`))
  assert.equal(seen.size, 240)
  for (const r of runs) {
    const res = JSON.parse(r.result)
    assert.equal(`${res.worker}/${res.seq}`, `${r.tags.worker}/${r.tags.seq}`)
    assert.equal(r.inputs, 2)
  }
  // the ids each writer was told are the ids stored
  const told = done.flatMap((d) => d.stdout.trim().split('\n').map(Number)).sort((a, b) => a - b)
  assert.deepEqual(told, runs.map((r) => r.id))
  assert.equal(integrity(file), 'ok/0')
})

test('kill -9 in the middle of recording leaves a consistent file with every acknowledged run', async () => {
  for (const afterRuns of [3, 17, 40]) {
    const file = join(tempDir(), 'killed.sqlite')
    // 512 KB results: each write spans many pages, so the kill lands inside a transaction
    const d = await start([LOOP, file, '100000', 'k', '512'], (out, kill) => {
      if (out.split('\n').length > afterRuns) kill()
    })
    assert.equal(d.signal, 'SIGKILL')
    const acknowledged = d.stdout.split('\n').filter((l) => /^\d+$/.test(l)).map(Number)
    assert.equal(integrity(file), 'ok/0')
    const runs = runsIn(file)
    // committed before the process printed its id; at most the one in flight may also be there
    assert.ok(runs.length >= acknowledged.length && runs.length <= acknowledged.length + 1, `${runs.length} runs for ${acknowledged.length} acknowledged`)
    assert.deepEqual(runs.slice(0, acknowledged.length).map((r) => r.id), acknowledged)
    for (const r of runs) {
      assert.deepEqual(Object.keys(r.tags).sort(), ['kind', 'seq', 'worker'])
      assert.equal(r.inputs, 2)
      assert.equal(JSON.parse(r.result).pad.length, 512 * 1024)
    }
    // and receval keeps using it
    const after = await start([BIN, 'runs', 'list', '--db', file, '--json', '--limit', '0'])
    assert.equal(after.code, 0, after.stderr)
    assert.equal(JSON.parse(after.stdout).runs.length, runs.length)
  }
})
