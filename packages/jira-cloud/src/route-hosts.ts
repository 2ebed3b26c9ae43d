import { Effect, Layer } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"

/**
 * Wraps an HttpClient so requests to the given hosts go to another origin instead, path and query kept:
 * `routeHosts({ "demo.atlassian.net": "http://127.0.0.1:4010" })`. The app uses it to serve a demo site from
 * a loopback simulator while base-URL validation stays strict; any other host is left alone.
 * @internal not used by production code: for tests and test support
 */
export const routeHosts = (routes: Readonly<Record<string, string>>) => {
  const table = new Map<string, string>()
  for (const [host, target] of Object.entries(routes)) {
    const url = new URL(target)
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new Error(`routeHosts: the target of ${host} must be an http(s) URL`)
    }
    table.set(host.toLowerCase(), url.href.replace(/\/$/, ""))
  }
  return <E, R>(client: HttpClient.HttpClient.With<E, R>): HttpClient.HttpClient.With<E, R> =>
    HttpClient.mapRequest(client, (request) => {
      let url: URL
      try {
        url = new URL(request.url)
      } catch {
        return request
      }
      const target = table.get(url.host.toLowerCase())
      return target === undefined ? request : HttpClientRequest.setUrl(request, `${target}${url.pathname}${url.search}`)
    })
}

/** routeHosts as a layer over the HttpClient below it. */
export const layerRouteHosts = (
  routes: Readonly<Record<string, string>>
): Layer.Layer<HttpClient.HttpClient, never, HttpClient.HttpClient> =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.gen(function* () {
      return routeHosts(routes)(yield* HttpClient.HttpClient)
    })
  )
