import {
  type AvatarImage,
  avatarContentType,
  avatarSource,
  type JiraConnection,
  type JiraError,
  JiraMetrics,
  JiraUnavailable,
  JiraUnexpectedResponse,
  MAX_AVATAR_BYTES
} from "@sciple/jira-core"
import { Duration, Effect } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest } from "effect/http"
import { faultReasonOf } from "./transport-faults.ts"

const MAX_REDIRECTS = 3
const ENDPOINT = "GET avatar"

/**
 * Fetches one avatar image: only the URLs `avatarSource` accepts (the site's avatar paths with the credential,
 * Atlassian's public avatar hosts without it), redirects only to such URLs, an allowed image type, at most
 * MAX_AVATAR_BYTES. No retries: a page shows initials instead of a picture that does not come at once.
 */
export const makeAvatarFetch =
  (client: HttpClient.HttpClient, options: { readonly timeoutMs: number; readonly gatewayOrigin: string }) =>
  (connection: JiraConnection, url: string): Effect.Effect<AvatarImage, JiraError> => {
    const refused = (detail: string): Effect.Effect<never, JiraError> =>
      Effect.fail(new JiraUnexpectedResponse({ detail: `avatar ${detail}` }))
    /** A site path under /rest/ goes through the gateway when the connection's token is a scoped one (adr/0020). */
    const addressOf = (target: string, credential: boolean) =>
      credential && connection.route?.kind === "gateway" && target.startsWith(`${connection.site}/rest/`)
        ? `${options.gatewayOrigin}/ex/jira/${encodeURIComponent(connection.route.cloudId)}${target.slice(connection.site.length)}`
        : target
    const hop = (target: string, hops: number): Effect.Effect<AvatarImage, JiraError> =>
      Effect.gen(function* () {
        const source = avatarSource(connection.site, target)
        if (source === null) return yield* refused("URL is not one of the site's avatars")
        let request = HttpClientRequest.get(addressOf(source.url, source.credential)).pipe(
          HttpClientRequest.setHeader("accept", "image/png,image/jpeg,image/gif,image/webp,image/svg+xml")
        )
        // The credential only ever goes to the site (or its gateway route), never to an avatar host.
        if (source.credential) request = HttpClientRequest.basicAuth(request, connection.email, connection.token)
        const response = yield* client.execute(request)
        if (response.status >= 300 && response.status < 400) {
          const location = response.headers.location
          if (location === undefined || hops >= MAX_REDIRECTS) return yield* refused("redirected too often")
          return yield* hop(URL.parse(location, source.url)?.href ?? "", hops + 1)
        }
        if (response.status < 200 || response.status >= 300) return yield* refused(`answered ${response.status}`)
        const contentType = avatarContentType(response.headers["content-type"])
        if (contentType === null) return yield* refused("is not an allowed image type")
        const length = Number(response.headers["content-length"] ?? "0")
        if (length > MAX_AVATAR_BYTES) return yield* refused("is too large")
        const bytes = new Uint8Array(yield* response.arrayBuffer)
        if (bytes.byteLength > MAX_AVATAR_BYTES) return yield* refused("is too large")
        return { contentType, bytes }
      }).pipe(
        Effect.catchTag(
          "HttpClientError",
          (error): Effect.Effect<never, JiraError> =>
            error.reason._tag === "InvalidUrlError" || error.reason._tag === "EncodeError"
              ? refused("could not be sent")
              : Effect.fail(new JiraUnavailable({ reason: faultReasonOf(error.reason.cause), status: null }))
        )
      )
    return Effect.timed(
      hop(url, 0).pipe(
        // fetch would follow redirects itself, without checking where they lead.
        Effect.provideService(FetchHttpClient.RequestInit, { redirect: "manual" }),
        Effect.provideService(HttpClient.TracerPropagationEnabled, false),
        Effect.timeoutOrElse({
          duration: options.timeoutMs,
          orElse: () => Effect.fail(new JiraUnavailable({ reason: "timeout", status: null }))
        }),
        Effect.result
      )
    ).pipe(
      Effect.flatMap(([took, result]) =>
        JiraMetrics.recordJiraRequest(
          ENDPOINT,
          result._tag === "Success" ? "200" : result.failure._tag,
          Duration.toMillis(took) / 1000
        ).pipe(Effect.andThen(Effect.fromResult(result)))
      )
    )
  }
