/**
 * A set of integers in [0, n) with insert, delete, predecessor and successor in O(log_32 n):
 * a 32-ary tree of bit words (each level summarises which words below are non-empty). The
 * hypervolume sweep keeps its 2-D staircase in one, keyed by each point's rank in x, which gives
 * the balanced-tree bounds of HV3D without tree rotations or per-node allocation.
 *
 * @example
 * const s = new RankSet(100); s.add(3); s.add(70)
 * s.successor(3) // 70
 * s.predecessor(70) // 3
 */
export class RankSet {
  private readonly levels: Uint32Array[] = []

  constructor(readonly size: number) {
    let n = Math.max(1, size)
    do {
      const words = Math.ceil(n / 32)
      this.levels.push(new Uint32Array(words))
      n = words
    } while (n > 1)
  }

  has(i: number): boolean {
    return (this.levels[0][i >>> 5] & (1 << (i & 31))) !== 0
  }

  add(i: number): void {
    for (const level of this.levels) {
      const w = i >>> 5
      const before = level[w]
      level[w] = before | (1 << (i & 31))
      if (before !== 0) return
      i = w
    }
  }

  delete(i: number): void {
    for (const level of this.levels) {
      const w = i >>> 5
      const after = level[w] & ~(1 << (i & 31))
      level[w] = after
      if (after !== 0) return
      i = w
    }
  }

  /** The smallest member greater than i, or -1. */
  successor(i: number): number {
    const L = this.levels.length
    let l = 0
    let x = i
    for (; l < L; l++) {
      const w = x >>> 5
      const b = x & 31
      const m = b === 31 ? 0 : this.levels[l][w] & (0xffffffff << (b + 1))
      if (m !== 0) {
        x = (w << 5) + lowestBit(m)
        break
      }
      x = w
    }
    if (l === L) return -1
    while (l > 0) {
      l--
      x = (x << 5) + lowestBit(this.levels[l][x])
    }
    return x
  }

  /** The largest member smaller than i, or -1. */
  predecessor(i: number): number {
    const L = this.levels.length
    let l = 0
    let x = i
    for (; l < L; l++) {
      const w = x >>> 5
      const b = x & 31
      const m = b === 0 ? 0 : this.levels[l][w] & (0xffffffff >>> (32 - b))
      if (m !== 0) {
        x = (w << 5) + highestBit(m)
        break
      }
      x = w
    }
    if (l === L) return -1
    while (l > 0) {
      l--
      x = (x << 5) + highestBit(this.levels[l][x])
    }
    return x
  }
}

function lowestBit(m: number): number {
  return 31 - Math.clz32(m & -m)
}

function highestBit(m: number): number {
  return 31 - Math.clz32(m)
}
