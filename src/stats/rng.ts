/**
 * A seeded pseudo-random generator for resampling: xoshiro128** (Blackman & Vigna 2018,
 * "Scrambled linear pseudorandom number generators", https://prng.di.unimi.it/), its 128-bit
 * state filled from the seed by splitmix32. Same seed, same stream, on every platform.
 *
 * @example
 * const r = new Rng(1)
 * r.below(10) // an integer in [0, 10), the same one every run with seed 1
 */
export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number

  /**
   * @param seed a non-negative safe integer; its low and high 32 bits both enter the state
   * @throws when the seed is not a non-negative safe integer
   */
  constructor(readonly seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`Rng: seed must be a non-negative safe integer, not ${seed}`)
    let s = (seed >>> 0) ^ Math.imul(Math.floor(seed / 4294967296), 0x9e3779b9)
    const next = () => {
      s = (s + 0x9e3779b9) | 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next()
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1
  }

  /** The next 32 random bits as an unsigned integer. */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0
    const t = this.b << 9
    this.c ^= this.a
    this.d ^= this.b
    this.b ^= this.c
    this.a ^= this.d
    this.c ^= t
    this.d = rotl(this.d, 11)
    return result
  }

  /**
   * A uniform integer in [0, n), without modulo bias (draws above the largest multiple of n are rejected).
   * @throws when n is not an integer in [1, 2^32]
   */
  below(n: number): number {
    if (!(n >= 1 && n <= 4294967296 && Number.isInteger(n))) throw new Error(`Rng.below: n must be an integer in [1, 2^32], not ${n}`)
    const limit = 4294967296 - (4294967296 % n)
    for (;;) {
      const x = this.uint32()
      if (x < limit) return x % n
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
