import { afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { JiraUnavailable } from "@sciple/jira-core"
import { FAKE_AVATAR_PNG } from "@sciple/jira-core/testing"
import { makeTestApp, type TestApp } from "../../support/harness.ts"

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp()
})
afterEach(async () => {
  await t.dispose()
})

const SITE_AVATAR = "https://acme.atlassian.net/rest/api/3/universal_avatar/view/type/project/avatar/10405"
const avatar = (url: string) => `/avatars?u=${encodeURIComponent(url)}`

describe("avatars through the app", () => {
  it("serves a site avatar from our origin to a viewer, as an allowed image, cached privately", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    const viewer = await t.signIn("viewer")
    const res = await t.request(avatar(SITE_AVATAR), { cookie: viewer })
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("image/png")
    expect(res.headers.get("x-content-type-options")).toBe("nosniff")
    expect(res.headers.get("cache-control")).toMatch(/^private, max-age=\d+$/)
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(FAKE_AVATAR_PNG)
    const again = await t.request(avatar(SITE_AVATAR), { cookie: viewer })
    expect(again.status).toBe(200)
    expect(t.world.jira.calls.filter((call) => call.op === "avatar")).toHaveLength(2)
  })

  it("needs sign-in, and refuses URLs that are not the connected site's avatars with a 404, without calling Jira", async () => {
    const admin = await t.signIn("admin")
    expect((await t.request(avatar(SITE_AVATAR))).status).toBe(303)
    await t.connect(admin)
    for (const url of [
      "https://acme.atlassian.net/rest/api/3/myself",
      "https://acme.atlassian.net/rest/api/3/universal_avatar/view/type/project/avatar/1#x",
      "https://evil.atlassian.net/rest/api/3/universal_avatar/view/type/project/avatar/10405",
      "https://acme.atlassian.net.evil.test/secure/useravatar",
      "http://127.0.0.1/secure/useravatar",
      ""
    ]) {
      const res = await t.request(avatar(url), { cookie: admin })
      expect(res.status, url).toBe(404)
      expect(res.headers.get("cache-control"), url).toBe("no-store")
    }
    expect(t.world.jira.calls.filter((call) => call.op === "avatar")).toHaveLength(0)
  })

  it("answers a transparent picture when Jira fails, so the initials show", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    t.world.jira.faults.failNext("avatar", new JiraUnavailable({ reason: "timeout", status: null }))
    const res = await t.request(avatar(SITE_AVATAR), { cookie: admin })
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("image/gif")
    expect(res.headers.get("cache-control")).toBe("private, max-age=60")
  })

  it("points every avatar of the pages at our origin, and the CSP allows images from it alone", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    const res = await t.request("/projects/ALPHA", { cookie: admin })
    const html = await res.text()
    const sources = [...html.matchAll(/<img [^>]*src="([^"]+)"/g)].map((m) => m[1] ?? "")
    expect(sources.length).toBeGreaterThan(0)
    for (const src of sources) expect(src).toMatch(/^\/avatars\?u=https%3A%2F%2Facme\.atlassian\.net%2F/)
    expect(res.headers.get("content-security-policy")).toContain("img-src 'self';")
  })
})
