/** The part of autocannon's programmatic API the benchmark uses (the package ships no types). */
declare module "autocannon" {
  interface Histogram {
    readonly average: number
    readonly stddev: number
    readonly min: number
    readonly max: number
    readonly p50: number
    readonly p90: number
    readonly p97_5: number
    readonly p99: number
    readonly total: number
  }

  interface Options {
    readonly url: string
    readonly connections?: number
    readonly duration?: number
    readonly amount?: number
    readonly timeout?: number
    readonly headers?: Readonly<Record<string, string>>
    readonly verifyBody?: (body: string) => boolean
  }

  interface Result {
    readonly requests: Histogram
    readonly latency: Histogram
    readonly throughput: Histogram
    /** Seconds. */
    readonly duration: number
    readonly errors: number
    readonly timeouts: number
    readonly non2xx: number
    readonly mismatches?: number
    readonly "2xx": number
    readonly statusCodeStats?: Readonly<Record<string, { readonly count: number | string }>>
  }

  function autocannon(options: Options): Promise<Result>
  export default autocannon
}
