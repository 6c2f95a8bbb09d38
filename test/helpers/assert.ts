import assert from 'node:assert/strict'

/** Assert |actual - expected| <= tol * max(1, |expected|). */
export function near(actual: unknown, expected: number, tol = 1e-12, what = 'value'): void {
  assert.equal(typeof actual, 'number', `${what}: expected a number, got ${JSON.stringify(actual)}`)
  const a = actual as number
  assert.ok(Math.abs(a - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: got ${a}, expected ${expected} (tol ${tol})`)
}
