import { afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { API_ROUTES } from "../../../src/http/api/routes.ts"
import { makeTestApp, type TestApp } from "../../support/harness.ts"

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp()
})
afterEach(async () => {
  await t.dispose()
})

interface ProblemBody {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly code: string
  readonly detail: string
  readonly errors?: ReadonlyArray<{ readonly field: string }>
}

const SCHEME = /^https:\/\/sciple\.dev\/problems\/[a-z0-9]+(-[a-z0-9]+)*$/
const kebab = (code: string) => code.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()

/** Every error answer: problem+json, the one `type` scheme naming its code, and a title written for a person. */
const expectProblem = async (res: Response, status: number, code: string): Promise<ProblemBody> => {
  expect(res.status).toBe(status)
  expect(res.headers.get("content-type")).toContain("application/problem+json")
  const body = (await res.json()) as ProblemBody
  expect(body).toMatchObject({ status, code, type: `https://sciple.dev/problems/${kebab(code)}` })
  expect(body.type).toMatch(SCHEME)
  expect(body.title).not.toBe(code)
  expect(body.title).toMatch(/^[A-Z][a-z]/)
  expect(body.title).not.toMatch(/[a-z][A-Z]/)
  return body
}

describe("JSON API edges", () => {
  it("answers a wrong method on a known path with 405, problem+json and Allow", async () => {
    const admin = await t.signIn("admin")
    const summary = await t.request("/api/v1/jira/summary", { method: "DELETE", cookie: admin })
    await expectProblem(summary, 405, "MethodNotAllowed")
    expect(summary.headers.get("allow")).toBe("GET, HEAD")
    const config = await t.request("/api/v1/jira/config", { method: "PATCH", cookie: admin })
    await expectProblem(config, 405, "MethodNotAllowed")
    expect(config.headers.get("allow")?.split(", ")).toEqual(
      expect.arrayContaining(
        API_ROUTES.filter((r) => r.path === "/api/v1/jira/config").map((r) => r.method.toUpperCase())
      )
    )
    const project = await t.request("/api/v1/jira/projects/ALPHA/issues", { method: "POST", cookie: admin })
    await expectProblem(project, 405, "MethodNotAllowed")
    expect(project.headers.get("allow")).toBe("GET, HEAD")
    const openapi = await t.request("/api/openapi.json", { method: "POST" })
    await expectProblem(openapi, 405, "MethodNotAllowed")
    expect(openapi.headers.get("allow")).toBe("GET, HEAD")
  })

  it("answers 405 to nobody signed in as well, and 404 for a path the API does not have", async () => {
    const wrong = await t.request("/api/v1/audit", { method: "PUT" })
    await expectProblem(wrong, 405, "MethodNotAllowed")
    expect(wrong.headers.get("allow")).toBe("GET, HEAD")
    const missing = await t.request("/api/v1/nothing-here")
    await expectProblem(missing, 404, "RouteNotFound")
    expect(missing.headers.get("allow")).toBeNull()
  })

  it("uses one problem type scheme with human titles for every error the API gives", async () => {
    await expectProblem(await t.request("/api/v1/jira/summary"), 401, "Unauthenticated")
    await expectProblem(
      await t.request("/api/v1/jira/summary", { headers: { authorization: "Bearer nope" } }),
      401,
      "Unauthenticated"
    )
    const viewer = await t.signIn("viewer")
    await expectProblem(await t.request("/api/v1/audit", { cookie: viewer }), 403, "NotPermitted")
    await expectProblem(await t.request("/api/v1/jira/summary", { cookie: viewer }), 409, "NotConnected")
    const admin = await t.signIn("admin")
    const post = (body: BodyInit, type: string) =>
      t.request("/api/v1/credentials", { method: "POST", body, headers: { "content-type": type }, cookie: admin })
    await expectProblem(await post("name=x", "application/x-www-form-urlencoded"), 415, "UnsupportedMediaType")
    await expectProblem(await post("{", "application/json"), 400, "MalformedBody")
    await expectProblem(await post(new Uint8Array([0x7b, 0xff, 0x7d]), "application/json"), 400, "MalformedBody")
    await expectProblem(
      await post(JSON.stringify({ name: "x".repeat(70_000) }), "application/json"),
      413,
      "PayloadTooLarge"
    )
    const invalid = await expectProblem(await post("{}", "application/json"), 422, "InvalidInput")
    expect(invalid.title).toBe("Some values are not valid")
    await expectProblem(await t.request("/api/v1/audit?limit=0", { cookie: admin }), 422, "InvalidInput")
  })

  it("documents the scheme and the 405 in the OpenAPI document", async () => {
    const doc = (await (await t.request("/api/openapi.json")).json()) as {
      info: { description: string }
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>
    }
    expect(doc.info.description).toContain("https://sciple.dev/problems/")
    expect(doc.paths["/api/v1/jira/summary"]?.get?.responses["405"]).toBeDefined()
  })
})

describe("JSON API limit", () => {
  const connected = async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    return admin
  }

  it("honours limit on the projects list, within 1..100", async () => {
    const admin = await connected()
    const all = (await (await t.request("/api/v1/jira/projects", { cookie: admin })).json()) as {
      projects: ReadonlyArray<{ key: string }>
      total: number
    }
    expect(all.total).toBeGreaterThan(1)
    const one = (await (await t.request("/api/v1/jira/projects?limit=1", { cookie: admin })).json()) as {
      projects: ReadonlyArray<{ key: string }>
      pageSize: number
    }
    expect(one.projects.map((p) => p.key)).toEqual(all.projects.slice(0, 1).map((p) => p.key))
    expect(one.pageSize).toBe(1)
    const second = (await (await t.request("/api/v1/jira/projects?limit=1&page=2", { cookie: admin })).json()) as {
      projects: ReadonlyArray<{ key: string }>
    }
    expect(second.projects.map((p) => p.key)).toEqual(all.projects.slice(1, 2).map((p) => p.key))
  })

  it("honours limit on a project's issues, and its cursor goes on with the same limit", async () => {
    const admin = await connected()
    const read = async (query: string) =>
      (await (await t.request(`/api/v1/jira/projects/ALPHA/issues?${query}`, { cookie: admin })).json()) as {
        issues: ReadonlyArray<{ key: string }>
        next: string | null
      }
    const fifty = await read("limit=50")
    expect(fifty.issues).toHaveLength(50)
    const seven = await read("limit=7")
    expect(seven.issues.map((i) => i.key)).toEqual(fifty.issues.slice(0, 7).map((i) => i.key))
    const after = await read(`limit=7&cursor=${encodeURIComponent(seven.next ?? "")}`)
    expect(after.issues.map((i) => i.key)).toEqual(fifty.issues.slice(7, 14).map((i) => i.key))
    const mixed = await t.request(`/api/v1/jira/projects/ALPHA/issues?cursor=${encodeURIComponent(seven.next ?? "")}`, {
      cookie: admin
    })
    expect((await expectProblem(mixed, 422, "InvalidInput")).errors?.map((e) => e.field)).toEqual(["cursor"])
  })

  it("refuses a limit outside 1..100 with a 422 naming limit, on every list", async () => {
    const admin = await connected()
    for (const path of ["/api/v1/jira/projects", "/api/v1/jira/projects/ALPHA/issues", "/api/v1/audit"]) {
      for (const limit of ["0", "101", "-1", "ten", "2.5"]) {
        const res = await t.request(`${path}?limit=${limit}`, { cookie: admin })
        const body = await expectProblem(res, 422, "InvalidInput")
        expect(
          body.errors?.map((e) => e.field),
          `${path}?limit=${limit}`
        ).toEqual(["limit"])
      }
      expect((await t.request(`${path}?limit=100`, { cookie: admin })).status, path).toBe(200)
      expect((await t.request(`${path}?limit=1`, { cookie: admin })).status, path).toBe(200)
    }
  })
})
