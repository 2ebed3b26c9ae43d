import { InvalidInput } from "@sciple/jira-core"
import { Result } from "effect"

/**
 * Query parameters read strictly (issue 14): a cursor, date or number a person or script got wrong is a 422
 * naming it, never a value the database refuses (which would read as "unavailable") or a silent default.
 */

/** ISO 8601 date or date-time, years 0001-9999: the range PostgreSQL's timestamptz and JavaScript agree on. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/

const dateTimeParam = (name: string, raw: string): Result.Result<Date, InvalidInput> => {
  const match = ISO.exec(raw)
  const date = new Date(raw)
  const year = Number(match?.[1] ?? "0")
  if (match === null || Number.isNaN(date.getTime()) || year < 1 || date.getUTCFullYear() < 1)
    return Result.fail(InvalidInput.one(name, `${name} must be an ISO 8601 date-time from year 0001 to 9999.`))
  // `new Date` rolls 2026-02-31 over to March: the day must survive the round trip.
  if (match[4] === undefined && date.toISOString().slice(0, 10) !== raw)
    return Result.fail(InvalidInput.one(name, `${name} is not a calendar date.`))
  return Result.succeed(date)
}

export const intParam = (
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number
): Result.Result<number, InvalidInput> => {
  if (raw === undefined || raw === "") return Result.succeed(fallback)
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN
  return Number.isInteger(n) && n >= min && n <= max
    ? Result.succeed(n)
    : Result.fail(InvalidInput.one(name, `${name} must be a whole number from ${min} to ${max}.`))
}

export interface AuditCursor {
  readonly before: { readonly at: Date; readonly id: string } | null
}

/** `before_at` and `before_id` come together, from a previous page's `next`. */
export const auditCursor = (
  beforeAt: string | undefined,
  beforeId: string | undefined
): Result.Result<AuditCursor, InvalidInput> => {
  if (beforeAt === undefined && beforeId === undefined) return Result.succeed({ before: null })
  if (beforeAt === undefined) return Result.fail(InvalidInput.one("before_at", "before_at goes with before_id."))
  if (beforeId === undefined || !/^[A-Za-z0-9_-]{1,64}$/.test(beforeId))
    return Result.fail(InvalidInput.one("before_id", "before_id must be an event id from a previous page."))
  return Result.map(dateTimeParam("before_at", beforeAt), (at) => ({ before: { at, id: beforeId } }))
}

/** A connection's version, required by Remove as by Save. */
export const versionParam = (raw: string | undefined): Result.Result<number, InvalidInput> =>
  raw === undefined || raw === ""
    ? Result.fail(InvalidInput.one("version", "version is required: the configuration's current version."))
    : intParam("version", raw, 0, 1, 2_000_000_000)

/** Free text sent on to Jira, clipped as the pages clip it. */
export const MAX_TEXT = 200
export const textParam = (name: string, raw: string | undefined, max = MAX_TEXT) =>
  raw === undefined || raw.length <= max
    ? Result.succeed(raw)
    : Result.fail(InvalidInput.one(name, `${name} must be at most ${max} characters.`))
