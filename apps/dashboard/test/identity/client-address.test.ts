import { describe, expect, it } from "@effect/vitest"
import {
  clientAddress,
  forwardedHttps,
  NO_TRUSTED_PROXIES,
  parseTrustedProxies
} from "../../src/identity/client-address.ts"

const trusted = parseTrustedProxies("10.0.0.0/8, 127.0.0.1, fd00::/8").proxies

describe("client address", () => {
  it("is the socket's address without trusted proxies, whatever X-Forwarded-For says", () => {
    expect(clientAddress("203.0.113.9", "1.2.3.4", NO_TRUSTED_PROXIES)).toBe("203.0.113.9")
    expect(clientAddress("::ffff:127.0.0.1", "1.2.3.4", NO_TRUSTED_PROXIES)).toBe("127.0.0.1")
    expect(clientAddress("203.0.113.9", "1.2.3.4", trusted)).toBe("203.0.113.9")
  })

  it("is the right-most untrusted hop through trusted proxies", () => {
    expect(clientAddress("10.1.2.3", "198.51.100.1", trusted)).toBe("198.51.100.1")
    expect(clientAddress("10.1.2.3", "6.6.6.6, 198.51.100.1, 10.0.0.5", trusted)).toBe("198.51.100.1")
    expect(clientAddress("::ffff:127.0.0.1", "[2001:db8::1], fd00::2", trusted)).toBe("2001:db8::1")
    expect(clientAddress("10.1.2.3", "10.0.0.9, 10.0.0.5", trusted)).toBe("10.0.0.9")
    expect(clientAddress("10.1.2.3", "evil, 10.0.0.5", trusted)).toBe("10.1.2.3")
  })

  it("names each bad TRUSTED_PROXIES entry", () => {
    const { problems } = parseTrustedProxies("10.0.0.0/33, example.com, 1.2.3.4/8/1, ::1/64")
    expect(problems).toHaveLength(3)
    expect(problems[0]).toContain("10.0.0.0/33")
  })

  it("believes X-Forwarded-Proto only from a trusted proxy", () => {
    expect(forwardedHttps("10.1.2.3", "https", trusted)).toBe(true)
    expect(forwardedHttps("203.0.113.9", "https", trusted)).toBe(false)
    expect(forwardedHttps("10.1.2.3", "http", trusted)).toBe(false)
  })
})
