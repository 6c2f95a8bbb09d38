/**
 * Thinning a polyline for drawing: keep at most `maxPoints` of its vertices, always the first and
 * the last, chosen so that the dropped vertices lie as close as possible to the kept polyline.
 *
 * This is the Ramer-Douglas-Peucker algorithm driven by a priority queue instead of a fixed
 * tolerance: starting from the segment between the endpoints, the segment whose farthest interior
 * vertex is farthest away is split at that vertex, until `maxPoints` vertices are kept or every
 * dropped vertex lies on the kept polyline. Distances are Euclidean, from a vertex to the segment
 * (clamped to its endpoints), in the coordinates given (ROC and PR curves live in the unit square).
 *
 * Reference: Douglas & Peucker (1973), https://en.wikipedia.org/wiki/Ramer%E2%80%93Douglas%E2%80%93Peucker_algorithm
 * @param x vertex x coordinates, in drawing order
 * @param y vertex y coordinates
 * @param maxPoints at most this many vertices are kept (>= 2)
 * @returns the indexes of the kept vertices, ascending, including 0 and n - 1
 * @throws when maxPoints < 2 or x and y differ in length
 * @example thinPolyline(Float64Array.of(0, 0.5, 1), Float64Array.of(0, 0.5, 1), 2) // Int32Array [0, 2]
 */
export function thinPolyline(x: Float64Array, y: Float64Array, maxPoints: number): Int32Array {
  const n = x.length
  if (y.length !== n) throw new Error('thinPolyline: x and y differ in length')
  if (!(maxPoints >= 2)) throw new Error('thinPolyline: maxPoints must be at least 2')
  if (n <= maxPoints) return Int32Array.from({length: n}, (_, i) => i)
  const keep = new Uint8Array(n)
  keep[0] = 1
  keep[n - 1] = 1
  let kept = 2
  const heap = new SegmentHeap()
  const push = (a: number, b: number) => {
    if (b - a < 2) return
    let far = -1
    let best = 0
    for (let i = a + 1; i < b; i++) {
      const d = segmentDistance(x[i], y[i], x[a], y[a], x[b], y[b])
      if (d > best) {
        best = d
        far = i
      }
    }
    if (far >= 0) heap.push(best, a, b, far)
  }
  push(0, n - 1)
  while (kept < maxPoints && heap.size > 0) {
    const {a, b, far} = heap.pop()
    keep[far] = 1
    kept++
    push(a, far)
    push(far, b)
  }
  const out = new Int32Array(kept)
  for (let i = 0, k = 0; i < n; i++) if (keep[i]) out[k++] = i
  return out
}

/** Euclidean distance from (px, py) to the segment (ax, ay)-(bx, by). */
export function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax
  const dy = by - ay
  const len2 = dx * dx + dy * dy
  let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0
  if (t < 0) t = 0
  else if (t > 1) t = 1
  const ex = px - (ax + t * dx)
  const ey = py - (ay + t * dy)
  return Math.sqrt(ex * ex + ey * ey)
}

/** A max-heap of segments keyed by the distance of their farthest interior vertex. */
class SegmentHeap {
  private key: number[] = []
  private seg: [number, number, number][] = []

  get size(): number {
    return this.key.length
  }

  push(key: number, a: number, b: number, far: number): void {
    this.key.push(key)
    this.seg.push([a, b, far])
    let i = this.key.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (this.key[p] >= this.key[i]) break
      this.swap(i, p)
      i = p
    }
  }

  pop(): {a: number; b: number; far: number} {
    const [a, b, far] = this.seg[0]
    const lastKey = this.key.pop() as number
    const lastSeg = this.seg.pop() as [number, number, number]
    if (this.key.length > 0) {
      this.key[0] = lastKey
      this.seg[0] = lastSeg
      let i = 0
      const n = this.key.length
      while (true) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < n && this.key[l] > this.key[m]) m = l
        if (r < n && this.key[r] > this.key[m]) m = r
        if (m === i) break
        this.swap(i, m)
        i = m
      }
    }
    return {a, b, far}
  }

  private swap(i: number, j: number): void {
    const k = this.key[i]
    this.key[i] = this.key[j]
    this.key[j] = k
    const s = this.seg[i]
    this.seg[i] = this.seg[j]
    this.seg[j] = s
  }
}
