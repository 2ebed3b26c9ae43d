import { afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { JiraUnavailable, UserId, WorkspaceId } from "@sciple/jira-core"
import { anAudit } from "@sciple/jira-core/testing"
import { Effect } from "effect"
import { Change } from "../../src/caching/change-feed.ts"
import { makePageCache, type PageCacheShape, sessionExpiryFrom } from "../../src/caching/page-cache.ts"
import { createApp } from "../../src/http/app.tsx"
import { SESSION_COOKIE } from "../../src/http/session.ts"
import { ApiToken, Session } from "../../src/identity/index.ts"
import { hashToken, randomToken } from "../../src/platform/tokens.ts"
import { makeTestApp, type TestApp } from "../support/harness.ts"

let t: TestApp
let clock: number
let cache: PageCacheShape
let app: ReturnType<typeof createApp>

beforeEach(async () => {
  t = await makeTestApp()
  // The sign-in check reads the wall clock: the cache's starts there, and tests move it on.
  clock = Date.now()
  cache = makePageCache(sessionExpiryFrom(t.accounts.store), { now: () => clock, maxEntries: 50 })
  app = createApp(t.deps, { pageCache: cache })
})
afterEach(async () => {
  await t.dispose()
})

const get = (path: string, cookie: string, headers: Record<string, string> = {}) =>
  app.request(path, { headers: { cookie, ...headers } })

/** Jira calls so far: a page served from the cache makes none. */
const jiraCalls = () => t.world.jira.calls.length

describe("page cache", () => {
  it("serves a signed-in page view again from memory until the TTL passes", async () => {
    const cookie = await t.signIn("admin")
    await t.connect(cookie)
    const first = await get("/", cookie)
    expect(first.status).toBe(200)
    const html = await first.text()
    const calls = jiraCalls()
    expect(calls).toBeGreaterThan(0)

    clock += 4_999
    const second = await get("/", cookie)
    expect(await second.text()).toBe(html)
    expect(second.headers.get("content-type")).toMatch(/^text\/html/)
    // The security headers are the app's, set on the cached answer too.
    expect(second.headers.get("content-security-policy")).toBe(first.headers.get("content-security-policy"))
    expect(jiraCalls()).toBe(calls)
    expect(cache.stats.hits).toBe(1)

    clock += 1
    await get("/", cookie)
    expect(jiraCalls()).toBeGreaterThan(calls)
  })

  it("keeps the headers htmx needs and keys fragments by their htmx headers", async () => {
    const cookie = await t.signIn("admin")
    await t.connect(cookie)
    const fragment = { "hx-request": "true", "hx-target": "projects" }
    const first = await get("/fragments/projects?q=al", cookie, fragment)
    expect(first.status).toBe(200)
    const pushUrl = first.headers.get("hx-push-url")
    expect(pushUrl).toBe("/projects?q=al")
    const again = await get("/fragments/projects?q=al", cookie, fragment)
    expect(again.headers.get("hx-push-url")).toBe(pushUrl)
    expect(cache.stats.hits).toBe(1)
    await get("/fragments/projects?q=al", cookie, { "hx-request": "true", "hx-target": "elsewhere" })
    await get("/fragments/projects?q=al", cookie)
    await get("/fragments/projects?q=be", cookie, fragment)
    expect(cache.stats.hits).toBe(1)
  })

  it("reads the Node request's own headers when there is one, as the sign-in check reads them", async () => {
    const session = await t.signIn("admin")
    await t.connect(session)
    const cookie = `theme=dark; ${session}; other="x"`
    const viaNode = (headers: Record<string, string>) =>
      app.request("/projects", { headers }, { incoming: { headers } })
    expect((await viaNode({ cookie })).status).toBe(200)
    expect((await viaNode({ cookie })).status).toBe(200)
    expect(cache.stats).toEqual({ hits: 1, misses: 1 })
    await viaNode({ cookie, "hx-request": "true", "hx-target": "projects" })
    expect(cache.stats).toEqual({ hits: 1, misses: 2 })
    // An unknown session signs nobody in: nothing is kept, whatever the cookie says.
    expect((await viaNode({ cookie: "sciple_session=forged" })).status).toBe(303)
    expect((await viaNode({ cookie: "sciple_session=forged" })).status).toBe(303)
    expect(cache.size()).toBe(2)
  })

  it("never serves ?refresh=1 from memory, and a refresh drops the workspace's pages", async () => {
    const cookie = await t.signIn("admin")
    await t.connect(cookie)
    await get("/", cookie)
    const calls = jiraCalls()
    await get("/?refresh=1", cookie)
    expect(jiraCalls()).toBeGreaterThan(calls)
    const afterRefresh = jiraCalls()
    await get("/", cookie)
    expect(jiraCalls()).toBeGreaterThan(afterRefresh)
  })

  it("shares nothing between people or workspaces", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    const viewer = await t.signIn("viewer")
    const other = await t.signIn("otherAdmin")
    const adminHtml = await (await get("/", admin)).text()
    const viewerHtml = await (await get("/", viewer)).text()
    const otherHtml = await (await get("/", other)).text()
    expect(adminHtml).toContain("admin@one.test")
    expect(viewerHtml).toContain("viewer@one.test")
    expect(viewerHtml).not.toContain("admin@one.test")
    expect(otherHtml).toContain("admin@two.test")
    expect(otherHtml).toContain("not connected")
    expect(cache.stats.hits).toBe(0)
    expect(await (await get("/", viewer)).text()).toBe(viewerHtml)
    expect(cache.stats.hits).toBe(1)
  })

  it("answers a hit before the sign-in check, so a sign-out elsewhere (its session's notice) ends it at once", async () => {
    const cookie = await t.signIn("admin")
    await t.connect(cookie)
    expect((await get("/", cookie)).status).toBe(200)
    expect((await get("/projects", cookie)).status).toBe(200)
    // The session goes from the store without this app knowing: the page cache still stands for the check...
    const sid = cookie.slice(`${SESSION_COOKIE}=`.length)
    await Effect.runPromise(t.accounts.store.deleteSession(hashToken(sid)))
    expect((await get("/", cookie)).status).toBe(200)
    // ...until the notice of that session comes, and then the next request signs nobody in.
    cache.drop(Change.session("another-session"))
    expect((await get("/", cookie)).status).toBe(200)
    cache.drop(Change.session(hashToken(sid)))
    expect((await get("/", cookie)).status).toBe(303)
    expect((await get("/projects", cookie)).status).toBe(303)
  })

  it("never keeps a page past its session's expiry", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    // Restart from the wall clock: on a busy machine the sign-in above can take longer than this session lives.
    clock = Date.now()
    const sid = randomToken()
    await Effect.runPromise(
      t.accounts.store.createSession(
        new Session({
          idHash: hashToken(sid),
          userId: UserId.make("u-admin"),
          workspaceId: WorkspaceId.make("ws-1"),
          createdAt: new Date(clock),
          expiresAt: new Date(clock + 2_000)
        })
      )
    )
    const cookie = `${SESSION_COOKIE}=${sid}`
    await get("/", cookie)
    clock += 1_999
    await get("/", cookie)
    expect(cache.stats).toEqual({ hits: 1, misses: 1 })
    clock += 1
    await get("/", cookie)
    expect(cache.stats).toEqual({ hits: 1, misses: 2 })
  })

  it("keys API-token page views by the token, dropped by any token notice", async () => {
    const cookie = await t.signIn("admin")
    await t.connect(cookie)
    const secret = randomToken()
    await Effect.runPromise(
      t.accounts.store.createApiToken(
        new ApiToken({
          id: "tok-1",
          userId: UserId.make("u-admin"),
          workspaceId: WorkspaceId.make("ws-1"),
          name: "CI",
          tokenHash: hashToken(secret),
          createdAt: new Date(clock),
          lastUsedAt: null,
          revokedAt: null
        })
      )
    )
    const bearer = { authorization: `Bearer ${secret}` }
    expect((await app.request("/", { headers: bearer })).status).toBe(200)
    expect((await app.request("/", { headers: bearer })).status).toBe(200)
    expect(cache.stats.hits).toBe(1)
    // The session's page is its own entry.
    await get("/", cookie)
    expect(cache.stats.hits).toBe(1)
    await Effect.runPromise(
      t.accounts.store.revokeApiToken(
        UserId.make("u-admin"),
        WorkspaceId.make("ws-1"),
        "tok-1",
        new Date(),
        anAudit(WorkspaceId.make("ws-1"), UserId.make("u-admin"), "API_TOKEN_REVOKED")
      )
    )
    cache.drop(Change.tokens)
    expect((await app.request("/", { headers: bearer })).status).not.toBe(200)
    expect((await get("/", cookie)).status).toBe(200)
    expect(cache.stats.hits).toBe(2)
  })

  it("drops a workspace's pages on its change notice, and a person's on their account notice", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    const other = await t.signIn("otherAdmin")
    await get("/", admin)
    await get("/", other)
    cache.drop(Change.workspace("ws-2"))
    const calls = jiraCalls()
    await get("/", admin)
    expect(jiraCalls()).toBe(calls)
    cache.drop(Change.workspace("ws-1"))
    await get("/", admin)
    expect(jiraCalls()).toBeGreaterThan(calls)
    const before = cache.stats.hits
    cache.drop(Change.account("u-admin"))
    await get("/", admin)
    expect(cache.stats.hits).toBe(before)
  })

  it("keeps no error page, no manage page, no API answer and nothing for anonymous visitors", async () => {
    const cookie = await t.signIn("admin")
    await t.connect(cookie)
    t.world.jira.faults.failNext("countIssues", new JiraUnavailable({ reason: "server", status: 503 }), 10)
    const failed = await (await get("/", cookie)).text()
    expect(failed).toContain('role="alert"')
    t.world.jira.faults.clear()
    expect(await (await get("/", cookie)).text()).not.toContain('role="alert"')

    const size = cache.size()
    await get("/manage/credentials", cookie)
    await get("/manage/credentials", cookie)
    await get("/api/v1/jira/config", cookie)
    await app.request("/login")
    await app.request("/")
    expect(cache.size()).toBe(size)
  })

  it("holds at most maxEntries pages, the oldest out first", async () => {
    const small = makePageCache(sessionExpiryFrom(t.accounts.store), { now: () => clock, maxEntries: 2 })
    const smallApp = createApp(t.deps, { pageCache: small })
    const cookie = await t.signIn("admin")
    await t.connect(cookie)
    for (const q of ["a", "b", "c"]) await smallApp.request(`/projects?q=${q}`, { headers: { cookie } })
    expect(small.size()).toBe(2)
    await smallApp.request("/projects?q=c", { headers: { cookie } })
    await smallApp.request("/projects?q=a", { headers: { cookie } })
    expect(small.stats).toEqual({ hits: 1, misses: 4 })
  })
})
