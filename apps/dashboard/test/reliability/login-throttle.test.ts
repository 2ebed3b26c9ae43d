import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { createAdministrator } from "../../src/http/auth.tsx"
import { hashPassword } from "../../src/platform/password.ts"
import {
  ADMIN,
  type App,
  Client,
  count,
  driver,
  type FreshDatabase,
  freshDatabase,
  startApp
} from "../support/reliability.ts"

/**
 * The sign-in throttle over HTTP on the real database (issue 14, findings 1 and 2): a burst cannot get more
 * password checks than the limit, the client address comes from X-Forwarded-For only through a trusted proxy,
 * and two instances on one PostgreSQL share one count.
 */

const OTHER = { email: "other@reliability.test", password: "other-reliability-password" } as const
const PAIR_LIMIT = 5

const signInFrom = (app: App, email: string, password: string, forwardedFor?: string) =>
  new Client(app.url).send("POST", "/login", {
    body: new URLSearchParams({ email, password, next: "/" }).toString(),
    type: "application/x-www-form-urlencoded",
    ...(forwardedFor === undefined ? {} : { headers: { "x-forwarded-for": forwardedFor } })
  })

const statuses = (replies: ReadonlyArray<{ status: number }>) => {
  const tally: Record<number, number> = {}
  for (const r of replies) tally[r.status] = (tally[r.status] ?? 0) + 1
  return tally
}

let database: FreshDatabase
beforeAll(async () => {
  database = await freshDatabase()
})
afterAll(async () => {
  await database?.drop()
})

describe("a burst of sign-ins on one account", () => {
  let app: App
  beforeAll(async () => {
    app = await startApp(database, { env: { TRUSTED_PROXIES: "127.0.0.1/32, ::1" } })
    await app.running.deps.runtime.runPromise(
      createAdministrator({
        workspaceId: "ws-other",
        userId: "u-other",
        workspaceName: "Other",
        email: OTHER.email,
        passwordHash: await hashPassword(OTHER.password),
        at: new Date()
      })
    )
  })
  afterAll(async () => {
    await app?.close()
  })

  it("48 simultaneous wrong passwords: at most the pair's limit is checked, the rest wait", async () => {
    const burst = await Promise.all(
      Array.from({ length: 48 }, (_, i) => signInFrom(app, ADMIN.email, `wrong ${i}`, "203.0.113.7"))
    )
    const tally = statuses(burst)
    expect((tally[401] ?? 0) + (tally[303] ?? 0)).toBeLessThanOrEqual(PAIR_LIMIT)
    expect(tally[429]).toBe(48 - (tally[401] ?? 0))
    for (const reply of burst.filter((r) => r.status === 429)) {
      expect(Number(reply.headers.get("retry-after"))).toBeGreaterThan(0)
      expect(reply.headers.get("content-security-policy")).not.toBeNull()
    }
    // The attacker's pair stays locked even with the right password.
    expect((await signInFrom(app, ADMIN.email, ADMIN.password, "203.0.113.7")).status).toBe(429)
    // The real person, from elsewhere, still gets in: the lockout is per account and client pair first.
    expect((await signInFrom(app, ADMIN.email, ADMIN.password, "198.51.100.20")).status).toBe(303)
    // Another account from the attacker's address is not locked out by someone else's failures.
    expect((await signInFrom(app, OTHER.email, OTHER.password, "203.0.113.7")).status).toBe(303)
  })

  it("keeps one row per key, expiring instead of clearing", async () => {
    const rows = await count(app.db, "select count(*)::int as n from login_attempts where expires_at > now()")
    expect(rows).toBeGreaterThan(0)
    expect(await count(app.db, "select count(*)::int as n from login_attempts where key like 'account:%@%'")).toBe(0)
  })

  it("X-Forwarded-For from a trusted proxy names the client; the right-most untrusted address wins", async () => {
    // A client cannot pick its own key by prepending addresses: the proxy appends the real one last.
    for (let i = 0; i < PAIR_LIMIT; i++)
      expect((await signInFrom(app, OTHER.email, `wrong ${i}`, `10.9.9.${i}, 192.0.2.44`)).status).toBe(401)
    expect((await signInFrom(app, OTHER.email, OTHER.password, "1.2.3.4, 192.0.2.44")).status).toBe(429)
    expect((await signInFrom(app, OTHER.email, OTHER.password, "192.0.2.45")).status).toBe(303)
  })
})

describe("without TRUSTED_PROXIES", () => {
  it("ignores X-Forwarded-For: the socket address is the client", async () => {
    const app = await startApp(database)
    try {
      for (let i = 0; i < PAIR_LIMIT; i++)
        expect((await signInFrom(app, OTHER.email, `nope ${i}`, `203.0.113.${i}`)).status).toBe(401)
      expect((await signInFrom(app, OTHER.email, OTHER.password, "198.51.100.99")).status).toBe(429)
    } finally {
      await app.close()
    }
  })
})

// Only a database server can be shared by two processes (see instances.test.ts).
if (driver() === "postgres") {
  describe("two instances on one PostgreSQL database", () => {
    it("share the throttle: failures on one count on the other", async () => {
      const a = await startApp(database, { env: { TRUSTED_PROXIES: "127.0.0.1" } })
      const b = await startApp(database, { env: { TRUSTED_PROXIES: "127.0.0.1" } })
      try {
        const burst = await Promise.all(
          Array.from({ length: 24 }, (_, i) =>
            signInFrom(i % 2 === 0 ? a : b, ADMIN.email, `two ${i}`, "203.0.113.200")
          )
        )
        expect(statuses(burst)[401] ?? 0).toBeLessThanOrEqual(PAIR_LIMIT)
        expect((await signInFrom(b, ADMIN.email, ADMIN.password, "203.0.113.200")).status).toBe(429)
        expect((await signInFrom(a, ADMIN.email, ADMIN.password, "203.0.113.200")).status).toBe(429)
      } finally {
        await a.close()
        await b.close()
      }
    })
  })
}
