import { createHash, randomBytes } from "node:crypto"
import { Ids } from "@sciple/jira-core"
import { Effect, Layer } from "effect"

/** A random, URL-safe secret (session ids, API tokens, setup links): 32 bytes. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString("base64url")

/** What the database keeps of a session id or API token: its SHA-256, so a dump signs nobody in. */
export const hashToken = (token: string): string => createHash("sha256").update(token).digest("base64url")

/** Ids for new records: 16 random bytes, URL-safe. */
export const IdsRandom = Layer.succeed(Ids, Ids.of({ next: Effect.sync(() => randomBytes(16).toString("base64url")) }))
