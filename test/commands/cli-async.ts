import {spawn} from 'node:child_process'
import {BIN, CliRun, ROOT} from '../helpers/cli.js'

/**
 * The real CLI as receval() in ../helpers/cli.ts runs it, but without blocking, so that the
 * tests of one file can run concurrently (describe(..., {concurrency})): each run is mostly
 * node and oclif starting up.
 */
export async function recevalAsync(args: string[], opts: {input?: string} = {}): Promise<CliRun> {
  while (running >= LIMIT) await new Promise<void>((r) => waiting.push(r))
  running++
  try {
    return await spawnOnce(args, opts)
  } finally {
    running--
    waiting.shift()?.()
  }
}

/** At most this many CLI processes at once (the machines have 2 cores). */
const LIMIT = 4
let running = 0
const waiting: (() => void)[] = []

function spawnOnce(args: string[], opts: {input?: string}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd: ROOT, env: process.env})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      let json: unknown
      try {
        json = JSON.parse(stdout)
      } catch {
        json = undefined
      }
      resolve({code: code ?? -1, stdout, stderr, json})
    })
    child.stdin.end(opts.input ?? '')
  })
}
