import assert from 'node:assert/strict'

/** Assert |actual - expected| <= tol * max(1, |expected|). */
export function near(actual: unknown, expected: number, tol = 1e-12, what = 'value'): void {
  assert.equal(typeof actual, 'number', `${what}: expected a number, got ${JSON.stringify(actual)}`)
  const a = actual as number
  assert.ok(Math.abs(a - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: got ${a}, expected ${expected} (tol ${tol})`)
}

/** Every number of `want` equals the one in `got` to `tol` relative; everything else exactly (object keys too, in any order). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function nearDeep(got: any, want: any, tol = 1e-12, path = ''): void {
  if (typeof want === 'number') return near(got, want, tol, path)
  if (want === null || typeof want !== 'object') return assert.deepEqual(got, want, path)
  if (Array.isArray(want)) {
    assert.equal(got?.length, want.length, `${path} length`)
    want.forEach((v, i) => nearDeep(got[i], v, tol, `${path}[${i}]`))
    return
  }
  assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), `${path} keys`)
  for (const k of Object.keys(want)) nearDeep(got[k], want[k], tol, `${path}.${k}`)
}
