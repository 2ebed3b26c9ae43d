import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import { makeAddressAllow, parseAllowList } from "../../src/observability/address-allow.ts"
import { readSettings } from "../../src/settings.ts"

describe("METRICS_ALLOW", () => {
  it("allows loopback only by default, whichever way the socket spells it", () => {
    const settings = readSettings({})
    if (Result.isFailure(settings)) throw new Error(settings.failure.join(" "))
    const allowed = makeAddressAllow(settings.success.metrics.allow)
    expect(["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"].map(allowed)).toEqual([true, true, true, true])
    expect(["10.0.0.5", "192.168.1.20", "::ffff:10.0.0.5", "2001:db8::1", "", undefined].map(allowed)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false
    ])
    expect(settings.success.metrics.token).toBeNull()
  })

  it("takes CIDRs and bare addresses of both families", () => {
    const list = parseAllowList(" 10.0.0.0/8, 2001:db8::/32 ,192.168.1.7")
    if (Result.isFailure(list)) throw new Error(list.failure)
    const allowed = makeAddressAllow(list.success)
    expect(["10.200.3.4", "2001:db8:1::9", "192.168.1.7", "::ffff:10.1.1.1"].map(allowed)).toEqual([
      true,
      true,
      true,
      true
    ])
    expect(["11.0.0.1", "192.168.1.8", "127.0.0.1", "2001:db9::1"].map(allowed)).toEqual([false, false, false, false])
  })

  it("refuses what is not a CIDR, by name, and a short token without echoing it", () => {
    for (const bad of ["10.0.0.0/33", "10.0.0/8", "localhost", "::1/129", "10.0.0.0/8/1", "10.0.0.0/"]) {
      expect(Result.isFailure(parseAllowList(bad))).toBe(true)
    }
    const settings = readSettings({ METRICS_ALLOW: "10.0.0.0/8,nonsense", METRICS_TOKEN: "short-secret" })
    expect(Result.isFailure(settings) ? settings.failure : []).toEqual([
      'METRICS_ALLOW must be CIDRs separated by commas (bad: "nonsense").',
      "METRICS_TOKEN must be at least 16 characters."
    ])
  })

  it("reads LOG_FORMAT and the OTLP settings, keeping exporter headers redacted", () => {
    const settings = readSettings({
      LOG_FORMAT: "JSON",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/",
      OTEL_EXPORTER_OTLP_HEADERS: "x-api-key=sekret%3Dvalue,tenant=one"
    })
    if (Result.isFailure(settings)) throw new Error(settings.failure.join(" "))
    expect(settings.success.logFormat).toBe("json")
    expect(settings.success.otlp?.endpoint).toBe("http://collector:4318")
    expect(settings.success.otlp?.serviceName).toBe("sciple-dashboard")
    expect(String(settings.success.otlp?.headers)).not.toContain("sekret")
    const bad = readSettings({ LOG_FORMAT: "xml", OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })
    expect(Result.isFailure(bad) ? bad.failure : []).toEqual([
      'LOG_FORMAT must be "logfmt" or "json" (got "xml").',
      "OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL."
    ])
  })
})
