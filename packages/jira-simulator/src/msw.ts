import { type HttpHandler, HttpResponse, http } from "msw"
import type { JiraSimulator } from "./simulator.ts"

export interface MswOptions {
  /** The origin to intercept; the simulator's site by default. */
  readonly baseUrl?: string | undefined
}

/** msw handlers that answer every request to the site from the simulator. */
export const jiraSimulatorHandlers = (sim: JiraSimulator, options: MswOptions = {}): HttpHandler[] => {
  const baseUrl = (options.baseUrl ?? sim.site).replace(/\/+$/, "")
  return [
    http.all(`${baseUrl}/*`, async ({ request }) => {
      try {
        const response = await sim.handle(request)
        return response.type === "error" ? HttpResponse.error() : response
      } catch (error) {
        // The client gave up (a hang or latency was aborted): nobody is left to read a response.
        if (request.signal.aborted) return HttpResponse.error()
        throw error
      }
    })
  ]
}
