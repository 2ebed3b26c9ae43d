/** Formatting shared by the pages; pure, with `now` passed in. */

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1000]
]

const relativeFormat = new Intl.RelativeTimeFormat("en", { numeric: "auto" })

/** "3 days ago", "in 2 hours", "now". */
export const relativeTime = (date: Date, now: Date): string => {
  const diff = date.getTime() - now.getTime()
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms || unit === "second") {
      const value = Math.round(diff / ms)
      return unit === "second" && Math.abs(value) < 5 ? "just now" : relativeFormat.format(value, unit)
    }
  }
  return "just now"
}

const exactFormat = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "long",
  timeZone: "UTC"
})

export const exactTime = (date: Date): string => exactFormat.format(date)

export const formatCount = (n: number): string => new Intl.NumberFormat("en").format(n)

/** Only https images are shown; anything else (javascript:, data:, http:) is dropped. */
export const safeImageUrl = (url: string | null | undefined): string | null => {
  if (url === null || url === undefined) return null
  try {
    const parsed = new URL(url)
    return parsed.protocol === "https:" ? parsed.toString() : null
  } catch {
    return null
  }
}

/** Where a page shows one of Jira's avatar URLs from: our own origin (the app's `/avatars` route, CSP `img-src 'self'`). */
export const avatarPath = (jiraUrl: string): string => `/avatars?u=${encodeURIComponent(jiraUrl)}`

export const initials = (name: string): string =>
  name
    .split(/\s+/)
    .filter((part) => part.length > 0)
    .slice(0, 2)
    .map((part) => [...part][0]?.toUpperCase() ?? "")
    .join("") || "?"

/** A stable hue per label, for avatar placeholders. */
export const hueOf = (label: string): number => {
  let h = 0
  for (const ch of label) h = (h * 31 + (ch.codePointAt(0) ?? 0)) % 360
  return h
}
