import { basicAuthHeader } from "../../src/auth.ts"
import { DEMO_ACCOUNT, DEMO_SITE } from "../../src/demo.ts"
import type { JiraSimulator } from "../../src/simulator.ts"
import type { SimAccount } from "../../src/types.ts"

/** Helpers for this package's tests: requests as a client would send them. */

export const TEST_NOW = new Date("2026-11-01T12:00:00.000Z")

export type Auth = SimAccount | "none" | { readonly header: string }

const authHeaders = (auth: Auth): Record<string, string> =>
  auth === "none" ? {} : "header" in auth ? { authorization: auth.header } : { authorization: basicAuthHeader(auth) }

export const get = (
  sim: JiraSimulator,
  path: string,
  auth: Auth = DEMO_ACCOUNT,
  init: RequestInit = {}
): Promise<Response> =>
  sim.handle(
    new Request(`${DEMO_SITE}${path}`, { ...init, headers: { ...authHeaders(auth), accept: "application/json" } })
  )

export const post = (
  sim: JiraSimulator,
  path: string,
  body: unknown,
  auth: Auth = DEMO_ACCOUNT,
  init: RequestInit = {}
): Promise<Response> =>
  sim.handle(
    new Request(`${DEMO_SITE}${path}`, {
      ...init,
      method: "POST",
      headers: { ...authHeaders(auth), "content-type": "application/json", accept: "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body)
    })
  )

export const json = async (response: Response): Promise<Record<string, unknown>> => {
  const body: unknown = await response.json()
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error("not a JSON object")
  return body as Record<string, unknown>
}

interface IssuePayload {
  readonly id: string
  readonly key: string
  readonly self: string
  readonly fields: Record<string, unknown>
}

export interface SearchPayload {
  readonly issues: ReadonlyArray<IssuePayload>
  readonly nextPageToken?: string
  readonly isLast: boolean
}

export const search = async (
  sim: JiraSimulator,
  body: Record<string, unknown>,
  auth: Auth = DEMO_ACCOUNT
): Promise<{ status: number; body: SearchPayload & Record<string, unknown> }> => {
  const response = await post(sim, "/rest/api/3/search/jql", body, auth)
  return { status: response.status, body: (await json(response)) as unknown as SearchPayload & Record<string, unknown> }
}
