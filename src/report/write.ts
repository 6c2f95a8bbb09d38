import {existsSync, renameSync, statSync, unlinkSync, writeFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {UsageError} from '../cli/errors.js'
import {renderReport, RenderOptions} from './page.js'
import type {Report} from './types.js'

/**
 * Fail before the (possibly long) run when an output file cannot be written: its folder must
 * exist and the path must not be a folder.
 * @throws UsageError naming the flag
 */
export function checkOutputPath(flag: string, path: string): void {
  if (path === '' || path === '-') throw new UsageError(`${flag} needs a file name (the report cannot go to stdout, which carries the result)`)
  const dir = dirname(resolve(path))
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${flag} ${path}: the folder ${dir} does not exist`)
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`${flag} ${path}: is a folder, not a file`)
}

/** Write text to `path` through a temporary file and a rename: readers never see half a file. */
export function writeTextAtomic(path: string, text: string): number {
  const tmp = `${path}.${process.pid}.tmp`
  try {
    writeFileSync(tmp, text)
    renameSync(tmp, path)
  } catch (e) {
    if (existsSync(tmp)) unlinkSync(tmp)
    throw new UsageError(`cannot write ${path}: ${(e as Error).message}`)
  }
  return Buffer.byteLength(text)
}

/** Render `report` and write it to `path`; returns the size in bytes and any chart warnings. */
export async function writeReport(path: string, report: Report, opts: RenderOptions = {}): Promise<{bytes: number; warnings: string[]}> {
  const {html, warnings} = await renderReport(report, opts)
  return {bytes: writeTextAtomic(path, html), warnings}
}
