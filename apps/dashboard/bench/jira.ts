import { createJiraSimulator, type JiraSimulator, startJiraSimulatorServer } from "@sciple/jira-simulator"

export interface TimedCall {
  readonly path: string
  /** The method, the query string and the start of the body (a POST's JQL): to tell calls apart in a log. */
  readonly detail: string
  /** performance.now() when the simulator received the request and when its answer was ready, ms. */
  readonly receivedAt: number
  readonly answeredAt: number
}

/**
 * The Jira simulator on loopback with a fixed added latency. Calls are counted by the simulator itself;
 * besides, each call's arrival and answer times are kept on this process's clock, the same clock that times
 * the page requests, so a cold page view can be split into before, during and after Jira.
 */
export const startJira = async (latencyMs: number) => {
  const sim = createJiraSimulator()
  sim.faults.set({ latencyMs })
  let timed: Array<TimedCall> = []
  const handle = async (request: Request) => {
    const receivedAt = performance.now()
    const url = new URL(request.url)
    const body = request.method === "GET" ? "" : await request.clone().text()
    const detail = `${request.method} ${url.search} ${body.slice(0, 160)}`.trim()
    const response = await sim.handle(request)
    timed.push({ path: url.pathname, detail, receivedAt, answeredAt: performance.now() })
    return response
  }
  const server = await startJiraSimulatorServer({ ...sim, handle } satisfies JiraSimulator, {
    port: 0,
    host: "127.0.0.1"
  })
  return {
    sim,
    url: server.url,
    latencyMs,
    /** Forgets the calls so far (the simulator's count and the timings). */
    reset: () => {
      sim.resetCalls()
      timed = []
    },
    calls: () => sim.countCalls(),
    timed: () => [...timed],
    /** One line per call since the last reset, in order of arrival, timed from the first: for a log. */
    describeCalls: () => {
      const first = Math.min(...timed.map((c) => c.receivedAt))
      return [...timed]
        .sort((a, b) => a.receivedAt - b.receivedAt)
        .map(
          (c) =>
            `+${(c.receivedAt - first).toFixed(0)} ms ${c.path} ${c.detail} (${(c.answeredAt - c.receivedAt).toFixed(0)} ms)`
        )
    },
    close: () => server.close()
  }
}

export type Jira = Awaited<ReturnType<typeof startJira>>

/**
 * Sequential Jira round trips: a call that arrived after another call had been answered may have waited for
 * it, so it starts a further round. 1 means every call went out together.
 */
export const roundTrips = (calls: ReadonlyArray<TimedCall>): number => {
  const sorted = [...calls].sort((a, b) => a.receivedAt - b.receivedAt)
  const depth: Array<number> = []
  sorted.forEach((call, i) => {
    let d = 1
    for (let j = 0; j < i; j++) {
      const earlier = sorted[j]
      if (earlier !== undefined && earlier.answeredAt <= call.receivedAt) d = Math.max(d, (depth[j] ?? 1) + 1)
    }
    depth.push(d)
  })
  return depth.length === 0 ? 0 : Math.max(...depth)
}

export interface ColdSplit {
  /** From sending the page request to the first Jira call arriving: sign-in check, configuration, secret. */
  readonly beforeJiraMs: number
  /** From the first Jira call arriving to the last answer leaving the simulator (latency included). */
  readonly jiraMs: number
  /** The simulator's own work beyond the added latency, for the slowest call. */
  readonly simulatorWorkMs: number
  /** From the last Jira answer to the whole page received: decoding, rendering, sending. */
  readonly afterJiraMs: number
}

export const coldSplit = (
  sentAt: number,
  receivedAt: number,
  calls: ReadonlyArray<TimedCall>,
  latencyMs: number
): ColdSplit | null => {
  if (calls.length === 0) return null
  const first = Math.min(...calls.map((c) => c.receivedAt))
  const last = Math.max(...calls.map((c) => c.answeredAt))
  return {
    beforeJiraMs: first - sentAt,
    jiraMs: last - first,
    simulatorWorkMs: Math.max(...calls.map((c) => c.answeredAt - c.receivedAt - latencyMs)),
    afterJiraMs: receivedAt - last
  }
}
