import { StoreUnavailable } from "@sciple/jira-core"
import { Effect, Schema } from "effect"

/**
 * Rows are decoded into the domain's classes, not cast: a row the domain would refuse surfaces as
 * StoreUnavailable naming what kind of record it is, never as a value the caller then trusts.
 */
export const decodeRow =
  <S extends Schema.Top>(schema: S, what: string) =>
  (row: unknown) =>
    Schema.decodeUnknownEffect(schema)(row).pipe(
      Effect.mapError(() => new StoreUnavailable({ reason: `a stored ${what} does not match the domain model` }))
    )
