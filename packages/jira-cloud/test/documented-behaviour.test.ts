import { describe, expect, it } from "@effect/vitest"
import { SiteUrl } from "@sciple/jira-core"
import { Effect, Redacted } from "effect"
import { http } from "msw"
import {
  captchaHandlers,
  documentedJiraHandlers,
  htmlSiteHandlers,
  jiraBehaviourSuite,
  notJiraHandlers,
  pageTokenFor
} from "../src/testing/index.ts"
import { documentedSite } from "./support/documented-site.fixture.ts"
import { makeSource, useMsw } from "./support/jira-msw.ts"

const { model, tokens } = documentedSite()

jiraBehaviourSuite({
  name: "Atlassian's documented behaviour, through msw",
  handlers: () => documentedJiraHandlers(model),
  site: model.site,
  gatewayOrigin: model.gatewayOrigin,
  tokens,
  projectKey: "ACME"
})

// The gateway origin is an option: the same behaviours against a gateway elsewhere (a loopback simulator).
const elsewhere = documentedSite("https://other.atlassian.net", "https://gateway.example.test")
jiraBehaviourSuite({
  name: "the documented behaviour, with the gateway origin moved",
  handlers: () => documentedJiraHandlers(elsewhere.model),
  site: elsewhere.model.site,
  gatewayOrigin: elsewhere.model.gatewayOrigin,
  tokens: elsewhere.tokens,
  projectKey: "ACME"
})

describe("documented answers beyond the shared behaviours", () => {
  const server = useMsw()
  const connection = (token: string, site = model.site) => ({
    site: SiteUrl.make(site),
    email: tokens.classic.email,
    token: Redacted.make(token),
    cacheKey: `doc/${token}`
  })
  const project = 'project = "ACME" ORDER BY key ASC'

  it.live("a page token older than seven days restarts the list", () =>
    Effect.gen(function* () {
      server.use(...documentedJiraHandlers(model))
      const source = yield* makeSource({ retry: { maxRetries: 0 } })
      const expired = pageTokenFor(project, 2, Date.now() - 8 * 24 * 60 * 60 * 1000)
      const page = yield* source.searchIssues(connection(tokens.classic.token), {
        jql: project,
        pageSize: 2,
        pageToken: expired
      })
      expect(page.value.restarted).toBe(true)
      expect(page.value.issues.map((i) => i.key)).toEqual(["ACME-5", "ACME-4"])
    })
  )

  it.live("bad JQL after a refused token is still reported as bad JQL", () =>
    Effect.gen(function* () {
      server.use(...documentedJiraHandlers(model))
      const source = yield* makeSource({ retry: { maxRetries: 0 } })
      const error = yield* source
        .searchIssues(connection(tokens.classic.token), { jql: 'project = "NOPE"', pageSize: 2, pageToken: "x" })
        .pipe(Effect.flip)
      expect(error._tag).toBe("JiraInvalidJql")
    })
  )

  for (const status of [401, 403] as const) {
    for (const header of ["seraph", "denied-reason"] as const) {
      it.live(`recognises a CAPTCHA lock on ${status} from the ${header} header`, () =>
        Effect.gen(function* () {
          server.use(...captchaHandlers(model.site, { status, header }), ...documentedJiraHandlers(model))
          const source = yield* makeSource({ retry: { maxRetries: 0 } })
          const error = yield* source.getAccount(connection(tokens.classic.token)).pipe(Effect.flip)
          expect(error).toMatchObject({ _tag: "JiraForbidden", reason: "captcha" })
          expect(error.message).toContain("CAPTCHA")
        })
      )
    }
  }

  it.live("a 404 HTML page from a wrong host is no Jira site; project/search's own 404 is no match", () =>
    Effect.gen(function* () {
      server.use(...notJiraHandlers("https://wrong.atlassian.net"), ...documentedJiraHandlers(model))
      const source = yield* makeSource({ retry: { maxRetries: 0 } })
      const wrong = connection(tokens.classic.token, "https://wrong.atlassian.net")
      expect((yield* source.getAccount(wrong).pipe(Effect.flip))._tag).toBe("JiraSiteNotFound")
      expect((yield* source.testConnection(wrong).pipe(Effect.flip))._tag).toBe("JiraSiteNotFound")
      const lookup = yield* source
        .listProjects(wrong, { startAt: 0, maxResults: 1, query: "", keys: ["ACME"] })
        .pipe(Effect.flip)
      expect(lookup._tag).toBe("JiraSiteNotFound")
      const none = yield* source.listProjects(connection(tokens.classic.token), {
        startAt: 0,
        maxResults: 25,
        query: "zzz"
      })
      expect(none.value).toEqual({ projects: [], startAt: 0, total: 0, isLast: true })
    })
  )

  it.live("a site without tenant_info whose /myself is Jira's connects on the site, with no cloudId", () =>
    Effect.gen(function* () {
      server.use(
        http.get(`${model.site}/_edge/tenant_info`, () => new Response("Not found", { status: 404 })),
        ...documentedJiraHandlers(model)
      )
      const source = yield* makeSource({ retry: { maxRetries: 0 } })
      const probe = yield* source.testConnection(connection(tokens.classic.token))
      expect(probe).toMatchObject({ route: { kind: "site" }, cloudId: null })
      const scoped = yield* source.testConnection(connection(tokens.scoped.token)).pipe(Effect.flip)
      expect(scoped._tag).toBe("JiraSiteNotFound")
    })
  )

  it.live("a site that answers HTML, or tenant_info but no JSON from /myself, is not Jira Cloud", () =>
    Effect.gen(function* () {
      server.use(...htmlSiteHandlers("https://parked.atlassian.net"))
      const source = yield* makeSource({ retry: { maxRetries: 0 } })
      const parked = yield* source
        .testConnection(connection(tokens.classic.token, "https://parked.atlassian.net"))
        .pipe(Effect.flip)
      expect(parked._tag).toBe("JiraSiteNotFound")
      server.use(
        http.get(
          `${model.site}/rest/api/3/myself`,
          () => new Response("<html>Sign in</html>", { headers: { "Content-Type": "text/html" } })
        ),
        ...documentedJiraHandlers(model)
      )
      const html = yield* source.testConnection(connection(tokens.classic.token)).pipe(Effect.flip)
      expect(html._tag).toBe("JiraSiteNotFound")
      expect(html.message).toContain("No Jira Cloud site")
    })
  )
})
