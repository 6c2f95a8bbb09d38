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
   * A uniform integer in [0, n), without bias: Lemire's multiply-shift with rejection
   * (Lemire 2019, "Fast Random Integer Generation in an Interval", ACM TOMACS 29(1)).
   * @throws when n is not an integer in [1, 2^32]
   */
  below(n: number): number {
    if (!(n >= 1 && n <= 4294967296 && n === Math.floor(n))) throw new Error(`Rng.below: n must be an integer in [1, 2^32], not ${n}`)
    if (n <= 2097152) {
      // x * n < 2^53: exact in a double
      const t = (4294967296 - n) % n
      for (;;) {
        const m = this.uint32() * n
        const hi = Math.floor(m / 4294967296)
        const lo = m - hi * 4294967296
        if (lo >= t) return hi
      }
    }
    for (;;) {
      // x * n may exceed 2^53: its high and low 32-bit halves are computed exactly from 16-bit parts
      const x = this.uint32()
      const xh = x >>> 16
      const xl = x & 0xffff
      const nh = Math.floor(n / 65536)
      const nl = n % 65536
      // x * n = (xh nh) 2^32 + (xh nl + xl nh) 2^16 + xl nl, each part exact
      const mid = xh * nl + xl * nh
      const low = xl * nl + (mid % 65536) * 65536
      const hi = xh * nh + Math.floor(mid / 65536) + Math.floor(low / 4294967296)
      const lo = low % 4294967296
      if (lo >= n || lo >= (4294967296 - n) % n) return hi
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
