/** Time zones and Jira's date format (`2024-10-09T10:37:54.643+0800`: an offset without a colon). */

const offsetFormatters = new Map<string, Intl.DateTimeFormat>()

const offsetFormatter = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = offsetFormatters.get(timeZone)
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    offsetFormatters.set(timeZone, formatter)
  }
  return formatter
}

/** Minutes east of UTC that `timeZone` has at the instant `ms`. */
const offsetMinutes = (timeZone: string, ms: number): number => {
  const name = offsetFormatter(timeZone)
    .formatToParts(new Date(ms))
    .find((part) => part.type === "timeZoneName")?.value
  const match = /^GMT([+-])(\d{2}):?(\d{2})?$/.exec(name ?? "")
  if (match === null) return 0
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? "0")
  return match[1] === "-" ? -minutes : minutes
}

const pad = (value: number, width = 2): string => String(value).padStart(width, "0")

/** Formats an instant the way Jira does, in the given zone. */
export const formatJiraDate = (ms: number, timeZone: string): string => {
  const offset = offsetMinutes(timeZone, ms)
  const local = new Date(ms + offset * 60_000)
  const sign = offset < 0 ? "-" : "+"
  const abs = Math.abs(offset)
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `.${pad(local.getUTCMilliseconds(), 3)}${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  )
}

/** Local wall-clock fields of an instant in a zone. */
export interface LocalTime {
  readonly year: number
  /** 0-based, like Date. */
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  /** 0 = Sunday. */
  readonly weekday: number
}

export const toLocal = (ms: number, timeZone: string): LocalTime => {
  const local = new Date(ms + offsetMinutes(timeZone, ms) * 60_000)
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth(),
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    weekday: local.getUTCDay()
  }
}

/** The instant at which the wall clock in `timeZone` shows the given fields (fields may overflow, as with Date.UTC). */
export const fromLocal = (timeZone: string, year: number, month: number, day: number, hour = 0, minute = 0): number => {
  const asUtc = Date.UTC(year, month, day, hour, minute)
  // Two passes settle the offset around DST changes.
  let guess = asUtc - offsetMinutes(timeZone, asUtc) * 60_000
  guess = asUtc - offsetMinutes(timeZone, guess) * 60_000
  return guess
}
