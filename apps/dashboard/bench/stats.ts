export interface Stats {
  readonly n: number
  readonly min: number
  readonly p50: number
  readonly p95: number
  readonly max: number
  readonly mean: number
}

/** Nearest-rank percentile of a non-empty sample. */
export const percentile = (values: ReadonlyArray<number>, p: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)))
  return sorted[rank - 1] ?? Number.NaN
}

export const statsOf = (values: ReadonlyArray<number>): Stats => ({
  n: values.length,
  min: values.length === 0 ? Number.NaN : Math.min(...values),
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  max: values.length === 0 ? Number.NaN : Math.max(...values),
  mean: values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length
})

/** The value seen most often (the first of equals). */
export const mode = (values: ReadonlyArray<number>): number => {
  const counts = new Map<number, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  let best = Number.NaN
  let bestCount = 0
  for (const [v, c] of counts) {
    if (c > bestCount) {
      best = v
      bestCount = c
    }
  }
  return best
}

export const round = (value: number, digits = 1) => {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
