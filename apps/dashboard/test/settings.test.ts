import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
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
