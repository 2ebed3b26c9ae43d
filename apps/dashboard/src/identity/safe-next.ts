/** Percent-escapes of control characters and of `\`: decoded by some parsers into what the raw form refuses. */
const ENCODED_DANGER = /%(?:[01][0-9a-f]|7f|5c)/i

/**
 * Where to go after sign-in: a same-site path, else `/` (adr/0022). Printable ASCII only (no TAB, CR, LF,
 * VT: URL parsers drop or split on them), no backslash (browsers read it as `/`), not scheme-relative.
 */
export const safeNext = (next: string | undefined): string => {
  if (next === undefined || next.length === 0 || next.length > 2000) return "/"
  if (!/^\/[\x21-\x7e]*$/.test(next) || next.includes("\\") || next.startsWith("//")) return "/"
  if (ENCODED_DANGER.test(next)) return "/"
  const base = "http://sciple.invalid"
  const url = new URL(next, base)
  return url.origin === base && url.pathname.startsWith("/") && !url.pathname.startsWith("//") ? next : "/"
}
