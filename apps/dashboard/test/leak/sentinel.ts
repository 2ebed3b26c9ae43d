import { randomUUID } from "node:crypto"

/**
 * A sentinel API token and the scanner that looks for it. Every token a leak run uses starts with the
 * sentinel (`derive`), so one set of needles finds all of them, in every encoding a token is likely to
 * travel in: as typed, upper or lower case, base64 and base64url at each of the three byte alignments
 * (inside a Basic `Authorization` header, say), hex, UTF-16, and the random part on its own.
 */

export interface Needle {
  readonly encoding: string
  readonly bytes: Buffer
}

export interface Finding {
  /** The channel and item, e.g. `response GET /manage/credentials 200 body`. */
  readonly where: string
  /** Every encoding the item held it in, e.g. `["plain", "random part"]`. */
  readonly encodings: ReadonlyArray<string>
  /** A few characters either side of the first match, with the match itself masked. */
  readonly context: string
}

/** A unique token nobody else could produce: `SENTINEL-<uuid>`. */
export const makeSentinel = (label = "SENTINEL"): string => `${label}-${randomUUID()}`

/** Another token that contains the sentinel, so the same needles find it. */
export const derive = (sentinel: string, suffix: string): string => `${sentinel}-${suffix}`

/**
 * The part of base64(prefix + value) that only the value's bytes determine, for a value starting `offset`
 * bytes (mod 3) into the encoded data: the whole 3-byte groups that lie inside the value.
 */
const base64Core = (value: Buffer, offset: 0 | 1 | 2, alphabet: "base64" | "base64url"): string => {
  const encoded = Buffer.concat([Buffer.alloc(offset), value]).toString(alphabet)
  const firstGroup = Math.ceil(offset / 3)
  const lastGroup = Math.floor((offset + value.length) / 3) // exclusive
  return encoded.slice(firstGroup * 4, lastGroup * 4)
}

export const needlesOf = (sentinel: string): ReadonlyArray<Needle> => {
  const utf8 = Buffer.from(sentinel, "utf8")
  const randomPart = sentinel.slice(sentinel.indexOf("-") + 1)
  const needles: Array<Needle> = [
    { encoding: "plain", bytes: utf8 },
    { encoding: "lower case", bytes: Buffer.from(sentinel.toLowerCase(), "utf8") },
    { encoding: "upper case", bytes: Buffer.from(sentinel.toUpperCase(), "utf8") },
    { encoding: "random part", bytes: Buffer.from(randomPart, "utf8") },
    { encoding: "hex", bytes: Buffer.from(utf8.toString("hex"), "utf8") },
    { encoding: "HEX", bytes: Buffer.from(utf8.toString("hex").toUpperCase(), "utf8") },
    { encoding: "utf-16le", bytes: Buffer.from(sentinel, "utf16le") }
  ]
  for (const offset of [0, 1, 2] as const) {
    needles.push({ encoding: `base64+${offset}`, bytes: Buffer.from(base64Core(utf8, offset, "base64"), "utf8") })
    needles.push({
      encoding: `base64url+${offset}`,
      bytes: Buffer.from(base64Core(utf8, offset, "base64url"), "utf8")
    })
  }
  // The same needle twice (base64 and base64url agree when no + or / occurs) would only double the work.
  const seen = new Set<string>()
  return needles.filter((n) => {
    const key = n.bytes.toString("hex")
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

export interface ScanCounts {
  /** Items scanned per channel (responses, log lines, rows, files, ...). */
  readonly items: Readonly<Record<string, number>>
  readonly bytes: number
}

/** Serialises anything scannable: strings as they are, bytes as bytes, the rest as JSON (dates, bigints, bytes kept). */
const textOf = (value: unknown): string | Buffer => {
  if (typeof value === "string") return value
  if (value instanceof Uint8Array) return Buffer.from(value)
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") return v.toString()
    if (v instanceof Uint8Array) return Buffer.from(v).toString("latin1")
    if (v !== null && typeof v === "object" && "type" in v && v.type === "Buffer" && "data" in v) {
      return Array.isArray(v.data) ? Buffer.from(v.data as Array<number>).toString("latin1") : v
    }
    return v
  })
}

/** Looks for one sentinel in everything it is given, counting what it scanned per channel. */
export class LeakScanner {
  readonly findings: Array<Finding> = []
  readonly #needles: ReadonlyArray<Needle>
  readonly #items = new Map<string, number>()
  #bytes = 0

  constructor(readonly sentinel: string) {
    this.#needles = needlesOf(sentinel)
  }

  /** Scans one item of a channel; returns its finding, or null when the item is clean. */
  scan(channel: string, where: string, content: unknown): Finding | null {
    const raw = textOf(content)
    const bytes = typeof raw === "string" ? Buffer.from(raw, "utf8") : raw
    this.#items.set(channel, (this.#items.get(channel) ?? 0) + 1)
    this.#bytes += bytes.length
    const encodings: Array<string> = []
    let context = ""
    for (const needle of this.#needles) {
      const at = bytes.indexOf(needle.bytes)
      if (at === -1) continue
      if (encodings.length === 0) {
        const before = bytes.subarray(Math.max(0, at - 40), at).toString("latin1")
        const after = bytes.subarray(at + needle.bytes.length, at + needle.bytes.length + 40).toString("latin1")
        context = `${before}[…]${after}`
      }
      encodings.push(needle.encoding)
    }
    if (encodings.length === 0) return null
    const finding: Finding = { where: `${channel}: ${where}`, encodings, context }
    this.findings.push(finding)
    return finding
  }

  counts(): ScanCounts {
    return { items: Object.fromEntries(this.#items), bytes: this.#bytes }
  }
}
