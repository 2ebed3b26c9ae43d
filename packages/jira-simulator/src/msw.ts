import { type HttpHandler, HttpResponse, http } from "msw"
import type { JiraSimulator } from "./simulator.ts"

/** @internal not used by production code: for tests and test support */
export const ATLASSIAN_GATEWAY = "https://api.atlassian.com"

/** @internal not used by production code: for tests and test support */
export interface MswOptions {
  /** The origin to intercept; the simulator's site by default. */
  readonly baseUrl?: string | undefined
  /** The gateway origin whose `/ex/jira/{cloudId}/...` this simulator answers; `https://api.atlassian.com` by default. */
  readonly gatewayUrl?: string | undefined
}

/** cloudIds with handlers, per gateway origin: a simulator leaves another site's cloudId to that site's handler. */
const claimed = new Map<string, Set<string>>()

const answer = async (sim: JiraSimulator, request: Request): Promise<Response> => {
  try {
    const response = await sim.handle(request)
    return response.type === "error" ? HttpResponse.error() : response
  } catch (error) {
    // The client gave up (a hang or latency was aborted): nobody is left to read a response.
    if (request.signal.aborted) return HttpResponse.error()
    throw error
  }
}

/**
 * msw handlers that answer every request to the site, and to the gateway for its cloudId, from the simulator.
 * @internal not used by production code: for tests and test support
 */
export const jiraSimulatorHandlers = (sim: JiraSimulator, options: MswOptions = {}): HttpHandler[] => {
  const baseUrl = (options.baseUrl ?? sim.site).replace(/\/+$/, "")
  const gateway = (options.gatewayUrl ?? ATLASSIAN_GATEWAY).replace(/\/+$/, "")
  const mine = claimed.get(gateway) ?? new Set<string>()
  mine.add(sim.cloudId)
  claimed.set(gateway, mine)
  return [
    http.all(`${baseUrl}/*`, ({ request }) => answer(sim, request)),
    http.all(`${gateway}/ex/jira/:cloudId/*`, ({ request, params }) => {
      // Another simulated site's cloudId: let its handler answer (an unknown one gets this site's 404).
      if (params.cloudId !== sim.cloudId && mine.has(String(params.cloudId))) return undefined
      return answer(sim, request)
    })
  ]
}
