declare module 'jstat' {
  interface Dist {
    cdf(x: number, ...params: number[]): number
    inv(p: number, ...params: number[]): number
    pdf(x: number, ...params: number[]): number
  }
  const jStat: {
    studentt: Dist
    normal: Dist
    chisquare: Dist
    centralF: Dist
    [k: string]: unknown
  }
  export default jStat
}
