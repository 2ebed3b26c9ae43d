import type { Permission, Principal } from "@sciple/jira-core"
import type { Effect, Schema } from "effect"
import type { TaggedError } from "../errors.ts"
import type { AppServices } from "../runtime.ts"

/** One JSON API route: what serves it, who may call it, and what its OpenAPI entry says. */
export interface ApiParam {
  readonly name: string
  readonly in: "query" | "path" | "header"
  readonly description: string
  readonly required?: boolean
}

export interface ApiRequest {
  readonly principal: Principal
  readonly path: (name: string) => string
  readonly query: (name: string) => string | undefined
  readonly header: (name: string) => string | undefined
  /** `?refresh=1`, unless the person refreshed a moment ago (refresh-limit.ts). */
  readonly fresh: boolean
  readonly body: unknown
}

export interface ApiRoute {
  readonly method: "get" | "post" | "put" | "delete"
  /** OpenAPI style: `/api/v1/jira/projects/{key}`. */
  readonly path: string
  readonly summary: string
  readonly permission: Permission
  readonly params?: ReadonlyArray<ApiParam>
  readonly body?: Schema.Top
  readonly status: 200 | 201 | 204
  readonly response?: Schema.Top
  readonly handle: (request: ApiRequest) => Effect.Effect<unknown, TaggedError, AppServices>
}
