import { Ids } from "@sciple/jira-core"
import { Effect, Layer } from "effect"

/** The contract suites' builders, shared with core. */
export { aConfig, aCredential, anAudit, freshWorkspace } from "@sciple/jira-core/testing"

export const freshId = (prefix: string) => `${prefix}-${crypto.randomUUID()}`

/** Unique ids, so tests sharing one database never collide. */
export const IdsRandom = Layer.succeed(Ids, Ids.of({ next: Effect.sync(() => crypto.randomUUID()) }))
