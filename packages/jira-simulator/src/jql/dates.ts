import { fromLocal, toLocal } from "../time.ts"

const MINUTE = 60_000
const UNIT_MS: Record<string, number> = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: MINUTE }

export const INVALID_DATE_HINT =
  "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'."

/** `-30d`, `-2w`, `-12h`, `-1m` (minutes), `4w 2d`, `+1d`: a period relative to now. */
const periodMs = (value: string): number | null => {
  const match = /^([+-])?\s*((?:\d+\s*[wdhm]\s*)+)$/.exec(value.trim())
  if (match === null || match[2] === undefined) return null
  let total = 0
  for (const part of match[2].matchAll(/(\d+)\s*([wdhm])/g)) total += Number(part[1]) * (UNIT_MS[part[2] ?? ""] ?? 0)
  return match[1] === "-" ? -total : total
}

/** Absolute dates are read in the searching user's time zone, as Jira does. */
const absoluteMs = (value: string, timeZone: string): number | null => {
  const match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(value.trim())
  if (match === null) return null
  const [year, month, day, hour, minute] = [match[1], match[2], match[3], match[4] ?? "0", match[5] ?? "0"].map(Number)
  if (year === undefined || month === undefined || day === undefined || hour === undefined || minute === undefined)
    return null
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null
  const check = new Date(Date.UTC(year, month - 1, day))
  if (check.getUTCMonth() !== month - 1) return null
  return fromLocal(timeZone, year, month - 1, day, hour, minute)
}

/** A date literal: a period, an absolute date, or epoch milliseconds. */
export const parseDateValue = (value: string, now: number, timeZone: string): number | null => {
  const period = periodMs(value)
  if (period !== null) return now + period
  if (/^\d{9,}$/.test(value.trim())) return Number(value.trim())
  return absoluteMs(value, timeZone)
}

const FUNCTION_UNITS: Record<string, string> = {
  startofday: "d",
  endofday: "d",
  startofweek: "w",
  endofweek: "w",
  startofmonth: "M",
  endofmonth: "M",
  startofyear: "y",
  endofyear: "y"
}

export const DATE_FUNCTIONS = new Set(["now", ...Object.keys(FUNCTION_UNITS)])

type Shift = { readonly amount: number; readonly unit: string }

const parseShift = (arg: string, defaultUnit: string): Shift | null => {
  const match = /^([+-]?\d+)([yMwdhm])?$/.exec(arg.trim())
  if (match === null) return null
  return { amount: Number(match[1]), unit: match[2] ?? defaultUnit }
}

/**
 * `now()`, `startOfDay()`, `endOfWeek(-1)`, `startOfMonth(-1M)`, ...: weeks start on Sunday and the
 * boundaries are in the user's time zone; the end of a period is its last millisecond.
 */
export const evaluateDateFunction = (
  name: string,
  args: ReadonlyArray<string>,
  now: number,
  timeZone: string
): { ok: true; value: number } | { ok: false; error: string } => {
  const lower = name.toLowerCase()
  if (lower === "now") {
    return args.length === 0
      ? { ok: true, value: now }
      : { ok: false, error: `Function 'now' expected '0' arguments but received '${args.length}'.` }
  }
  const defaultUnit = FUNCTION_UNITS[lower]
  if (defaultUnit === undefined)
    return { ok: false, error: `Unable to find JQL function '${name}(${args.join(", ")})'.` }
  if (args.length > 1)
    return {
      ok: false,
      error: `Function '${name}' expected between '0' and '1' arguments but received '${args.length}'.`
    }
  const shift = args[0] === undefined ? { amount: 0, unit: defaultUnit } : parseShift(args[0], defaultUnit)
  if (shift === null) return { ok: false, error: `Function '${name}' has an invalid argument '${args[0] ?? ""}'.` }
  const local = toLocal(now, timeZone)
  let { year, month, day, hour, minute } = local
  switch (shift.unit) {
    case "y":
      year += shift.amount
      break
    case "M":
      month += shift.amount
      break
    case "w":
      day += 7 * shift.amount
      break
    case "d":
      day += shift.amount
      break
    case "h":
      hour += shift.amount
      break
    case "m":
      minute += shift.amount
      break
  }
  const shifted = toLocal(fromLocal(timeZone, year, month, day, hour, minute), timeZone)
  const end = lower.startsWith("end")
  const period = defaultUnit
  let start: number
  let next: number
  if (period === "d") {
    start = fromLocal(timeZone, shifted.year, shifted.month, shifted.day)
    next = fromLocal(timeZone, shifted.year, shifted.month, shifted.day + 1)
  } else if (period === "w") {
    start = fromLocal(timeZone, shifted.year, shifted.month, shifted.day - shifted.weekday)
    next = fromLocal(timeZone, shifted.year, shifted.month, shifted.day - shifted.weekday + 7)
  } else if (period === "M") {
    start = fromLocal(timeZone, shifted.year, shifted.month, 1)
    next = fromLocal(timeZone, shifted.year, shifted.month + 1, 1)
  } else {
    start = fromLocal(timeZone, shifted.year, 0, 1)
    next = fromLocal(timeZone, shifted.year + 1, 0, 1)
  }
  return { ok: true, value: end ? next - 1 : start }
}

/** Jira compares dates at minute precision. */
export const toMinute = (ms: number): number => Math.floor(ms / MINUTE) * MINUTE
