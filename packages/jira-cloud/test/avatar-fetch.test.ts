import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { HttpResponse, http } from "msw"
import { connection, EMAIL, makeSource, SITE, TOKEN, useMsw } from "./support/jira-msw.ts"

const server = useMsw()
const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])
const BASIC = `Basic ${btoa(`${EMAIL}:${TOKEN}`)}`
const PROJECT_AVATAR = `${SITE}/rest/api/3/universal_avatar/view/type/project/avatar/10400`
const ATL_AVATAR = "https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/initials/AL-0.png"

describe("IssueSource.avatar on Jira Cloud", () => {
  it.live("fetches a site avatar with the credential, and a public avatar host without it", () =>
    Effect.gen(function* () {
      const seen: Array<string | null> = []
      server.use(
        http.get(PROJECT_AVATAR, ({ request }) => {
          seen.push(request.headers.get("authorization"))
          return new HttpResponse(PNG, { headers: { "content-type": "image/png" } })
        }),
        http.get(ATL_AVATAR, ({ request }) => {
          seen.push(request.headers.get("authorization"))
          return new HttpResponse(PNG, { headers: { "content-type": "image/png; charset=binary" } })
        })
      )
      const source = yield* makeSource()
      const site = yield* source.avatar(connection, PROJECT_AVATAR)
      expect(site.value).toEqual({ contentType: "image/png", bytes: PNG })
      const atl = yield* source.avatar(connection, ATL_AVATAR)
      expect(atl.value.contentType).toBe("image/png")
      expect(seen).toEqual([BASIC, null])
    })
  )

  it.live("goes through the gateway for a scoped token's connection", () =>
    Effect.gen(function* () {
      server.use(
        http.get(
          "https://api.atlassian.com/ex/jira/cloud-1/rest/api/3/universal_avatar/view/type/project/avatar/10400",
          () => new HttpResponse(PNG, { headers: { "content-type": "image/png" } })
        )
      )
      const source = yield* makeSource()
      const got = yield* source.avatar(
        { ...connection, route: { kind: "gateway", cloudId: "cloud-1" } },
        PROJECT_AVATAR
      )
      expect(got.value.bytes).toEqual(PNG)
    })
  )

  it.live("refuses other URLs without a request, other content types, and redirects off the avatar hosts", () =>
    Effect.gen(function* () {
      const redirected = `${SITE}/secure/useravatar?accountId=a`
      server.use(
        http.get(PROJECT_AVATAR, () => HttpResponse.json({ not: "an image" })),
        http.get(
          redirected,
          () => new HttpResponse(null, { status: 302, headers: { location: "https://evil.test/x.png" } })
        )
      )
      const source = yield* makeSource()
      for (const url of [`${SITE}/rest/api/3/myself`, "https://evil.test/a.png", PROJECT_AVATAR, redirected]) {
        const error = yield* source.avatar(connection, url).pipe(Effect.flip)
        expect(error._tag, url).toBe("JiraUnexpectedResponse")
      }
    })
  )
})
