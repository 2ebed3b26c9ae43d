import type { AddressInfo } from "node:net"
import { type HttpBindings, serve } from "@hono/node-server"
import type { JiraSimulator } from "./simulator.ts"

export interface ServerOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number | undefined
  readonly host?: string | undefined
}

export interface RunningServer {
  /** `http://127.0.0.1:<port>`: point the site's requests here; any Host header is accepted. */
  readonly url: string
  readonly port: number
  /** Stops listening and drops open connections, hanging requests included. */
  close(): Promise<void>
}

/** Serves the simulator over real HTTP on loopback. */
export const startJiraSimulatorServer = (sim: JiraSimulator, options: ServerOptions = {}): Promise<RunningServer> => {
  const host = options.host ?? "127.0.0.1"
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        hostname: host,
        port: options.port ?? 0,
        fetch: async (request: Request, env: HttpBindings | object) => {
          const response = await sim.handle(request)
          if (response.type === "error" && "incoming" in env) {
            env.incoming.socket.destroy()
            return new Response(null, { status: 204 })
          }
          return response
        }
      },
      (info: AddressInfo) => {
        const urlHost = info.family === "IPv6" ? `[${info.address}]` : info.address
        resolve({
          url: `http://${urlHost}:${info.port}`,
          port: info.port,
          close: () =>
            new Promise<void>((done, fail) => {
              server.close((error) => (error === undefined ? done() : fail(error)))
              if ("closeAllConnections" in server) server.closeAllConnections()
            })
        })
      }
    )
    server.once("error", reject)
  })
}
