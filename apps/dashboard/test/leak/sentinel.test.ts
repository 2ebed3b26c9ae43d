import { describe, expect, it } from "@effect/vitest"
import { basicAuthHeader } from "@sciple/jira-simulator"
import { derive, LeakScanner, makeSentinel, needlesOf } from "./sentinel.ts"

/** The scanner must find what it is for: a scanner bug would otherwise pass every leak run silently. */

const found = (sentinel: string, content: unknown) =>
  new LeakScanner(sentinel).scan("self-check", "planted", content)?.encodings ?? []

describe("the leak scanner", () => {
  const sentinel = makeSentinel()

  it("finds the sentinel as typed, in text, bytes, JSON and a derived token", () => {
    expect(found(sentinel, `token=${sentinel}&x=1`)).toContain("plain")
    expect(found(sentinel, Buffer.from(`\0\0${sentinel}\0`, "utf8"))).toContain("plain")
    expect(found(sentinel, { nested: [{ at: new Date(0), value: sentinel, n: 1n }] })).toContain("plain")
    expect(found(sentinel, { bytes: new Uint8Array(Buffer.from(`..${sentinel}..`)) })).toContain("plain")
    expect(found(sentinel, derive(sentinel, "rotated"))).toContain("plain")
  })

  it("finds it in upper and lower case, hex, UTF-16, and its random part alone", () => {
    expect(found(sentinel, sentinel.toUpperCase())).toContain("upper case")
    expect(found(sentinel, sentinel.toLowerCase())).toContain("lower case")
    expect(found(sentinel, Buffer.from(sentinel).toString("hex"))).toContain("hex")
    expect(found(sentinel, Buffer.from(sentinel).toString("hex").toUpperCase())).toContain("HEX")
    expect(found(sentinel, Buffer.from(`x${sentinel}`, "utf16le"))).toContain("utf-16le")
    expect(found(sentinel, `…${sentinel.slice("SENTINEL-".length)}`)).toContain("random part")
  })

  it("finds it base64- and base64url-encoded at every byte alignment, as in a Basic Authorization header", () => {
    for (let prefix = 0; prefix < 6; prefix++) {
      const data = Buffer.from(`${"p".repeat(prefix)}${sentinel}${"s".repeat(prefix % 4)}`)
      expect(found(sentinel, data.toString("base64")), `base64 after ${prefix} bytes`).not.toEqual([])
      expect(found(sentinel, data.toString("base64url")), `base64url after ${prefix} bytes`).not.toEqual([])
    }
    for (const email of ["a@b.co", "ab@b.co", "abc@b.co"]) {
      expect(found(sentinel, basicAuthHeader({ email, apiToken: sentinel })), email).not.toEqual([])
    }
  })

  it("finds nothing where the sentinel is not, and says where and how it found it", () => {
    const other = makeSentinel()
    expect(found(sentinel, `${other} ${Buffer.from(other).toString("base64")} SENTINEL-`)).toEqual([])
    const scanner = new LeakScanner(sentinel)
    scanner.scan("log", "line 7", `level=INFO token=${sentinel}`)
    scanner.scan("log", "line 8", "clean")
    expect(scanner.findings).toEqual([
      { where: "log: line 7", encodings: ["plain", "random part"], context: "level=INFO token=[…]" }
    ])
    expect(scanner.counts().items).toEqual({ log: 2 })
    expect(new Set(needlesOf(sentinel).map((n) => n.encoding)).size).toBe(needlesOf(sentinel).length)
  })
})
