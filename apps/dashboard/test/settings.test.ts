import { inspect } from "node:util"
import { describe, expect, it } from "@effect/vitest"
import { Redacted, Result } from "effect"
import { readSettings } from "../src/settings.ts"

describe("readSettings", () => {
  it("has embedded defaults", () => {
    const s = readSettings({})
    expect(Result.isSuccess(s) && s.success).toMatchObject({
      port: 3000,
      databaseUrl: null,
      dataDir: "./.data",
      secretStore: "local",
      cacheTtlSeconds: 60,
      maxStaleSeconds: 600,
      logLevel: "Info",
      admin: null
    })
  })

  it("reports every bad value with its name, never echoing a database URL", () => {
    const s = readSettings({
      PORT: "http",
      DATABASE_URL: "mysql://user:hunter2@db",
      SECRET_STORE: "vault",
      JIRA_CACHE_TTL_SECONDS: "-1",
      JIRA_MAX_STALE_SECONDS: "ten minutes",
      LOG_LEVEL: "loud",
      ADMIN_EMAIL: "admin@x.test"
    })
    expect(Result.isFailure(s)).toBe(true)
    const problems = Result.isFailure(s) ? s.failure : []
    expect(problems.map((p) => p.split(" ")[0])).toEqual([
      "PORT",
      "JIRA_CACHE_TTL_SECONDS",
      "JIRA_MAX_STALE_SECONDS",
      "DATABASE_URL",
      "SECRET_STORE",
      "LOG_LEVEL",
      "ADMIN_EMAIL"
    ])
    expect(problems.join("\n")).not.toContain("hunter2")
  })

  it("takes a cache TTL of 0 (off), PostgreSQL, AWS and a first administrator", () => {
    const s = readSettings({
      JIRA_CACHE_TTL_SECONDS: "0",
      DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test",
      SECRET_STORE: "aws",
      AWS_REGION: "eu-west-1",
      ADMIN_EMAIL: "Admin@X.test",
      ADMIN_PASSWORD: "a long enough password"
    })
    expect(Result.isSuccess(s) && s.success).toMatchObject({
      cacheTtlSeconds: 0,
      maxStaleSeconds: 600,
      secretStore: "aws",
      admin: { email: "admin@x.test" }
    })
  })
})

describe("readSettings and secrets", () => {
  const SECRETS = {
    DATABASE_URL: "postgres://app:db-Pa55word-1@127.0.0.1:5432/app",
    ADMIN_PASSWORD: "admin-Pa55word-2",
    METRICS_TOKEN: "metrics-token-3-0123456789",
    OTEL_EXPORTER_OTLP_HEADERS: "x-api-key=otlp-key-4",
    SECRETS_LOCAL_KEY: Buffer.alloc(32, 7).toString("base64")
  }
  const secretValues = [
    "db-Pa55word-1",
    "admin-Pa55word-2",
    "metrics-token-3-0123456789",
    "otlp-key-4",
    SECRETS.SECRETS_LOCAL_KEY
  ]

  it("keeps every secret redacted: not in String(settings), JSON or inspect, yet readable where it is used", () => {
    const s = readSettings({
      ...SECRETS,
      ADMIN_EMAIL: "admin@x.test",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318"
    })
    if (Result.isFailure(s)) throw new Error(s.failure.join("\n"))
    const settings = s.success
    for (const shown of [String(settings), JSON.stringify(settings), inspect(settings, { depth: 10 })]) {
      for (const value of secretValues) expect(shown).not.toContain(value)
    }
    expect(settings.databaseUrl === null ? null : Redacted.value(settings.databaseUrl)).toBe(SECRETS.DATABASE_URL)
    expect(settings.admin === null ? null : Redacted.value(settings.admin.password)).toBe(SECRETS.ADMIN_PASSWORD)
    expect(settings.metrics.token === null ? null : Redacted.value(settings.metrics.token)).toBe(SECRETS.METRICS_TOKEN)
    expect(settings.otlp === null ? null : Redacted.value(settings.otlp.headers)).toEqual({ "x-api-key": "otlp-key-4" })
    expect(settings.secretsLocalKey === null ? null : Redacted.value(settings.secretsLocalKey)).toBe(
      SECRETS.SECRETS_LOCAL_KEY
    )
  })

  it("names each bad secret without repeating it", () => {
    const bad = {
      DATABASE_URL: "mysql://app:db-Pa55word-1@db/app",
      ADMIN_EMAIL: "admin@x.test",
      ADMIN_PASSWORD: "short-2",
      METRICS_TOKEN: "metrics-3",
      OTEL_EXPORTER_OTLP_HEADERS: "=otlp-key-4",
      SECRETS_LOCAL_KEY: "not-a-key-5"
    }
    const s = readSettings(bad)
    const problems = Result.isFailure(s) ? s.failure : []
    expect(problems.map((p) => p.split(" ")[0])).toEqual([
      "DATABASE_URL",
      "SECRETS_LOCAL_KEY",
      "ADMIN_PASSWORD",
      "OTEL_EXPORTER_OTLP_HEADERS",
      "METRICS_TOKEN"
    ])
    for (const value of ["db-Pa55word-1", "short-2", "metrics-3", "otlp-key-4", "not-a-key-5"]) {
      expect(problems.join("\n")).not.toContain(value)
    }
  })

  it("names a bad plain value and shows it, shortened", () => {
    const s = readSettings({ SESSION_TTL_HOURS: "0", LOG_FORMAT: "xml", SECRET_STORE: "AWS" })
    expect(Result.isFailure(s) && s.failure).toEqual([
      'SESSION_TTL_HOURS must be a whole number from 1 to 720 (got "0").',
      'SECRET_STORE must be "local" or "aws" (got "AWS").',
      'LOG_FORMAT must be "logfmt" or "json" (got "xml").'
    ])
  })

  it("takes blank values as unset and trims the others, but a password as typed", () => {
    const s = readSettings({
      PORT: " 8080 ",
      DATABASE_URL: "  ",
      LOG_LEVEL: "debug",
      ADMIN_EMAIL: " Admin@X.test ",
      ADMIN_PASSWORD: " spaces count too "
    })
    if (Result.isFailure(s)) throw new Error(s.failure.join("\n"))
    expect(s.success).toMatchObject({
      port: 8080,
      databaseUrl: null,
      logLevel: "Debug",
      admin: { email: "admin@x.test" }
    })
    expect(s.success.admin === null ? null : Redacted.value(s.success.admin.password)).toBe(" spaces count too ")
  })
})
