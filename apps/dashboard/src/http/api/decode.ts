import { InvalidInput } from "@sciple/jira-core"
import { Effect, Schema } from "effect"

/** A JSON body decoded with its schema (unknown fields refused) into a 422 that names the field. */
export const decode = <A>(schema: Schema.Codec<A, unknown>, body: unknown) =>
  Schema.decodeUnknownEffect(schema)(body, { onExcessProperty: "error" }).pipe(
    // Where and what was expected, never the value sent: it may be a token.
    Effect.mapError((error) => {
      const lines = error.message.split("\n")
      const field = /at \["([^"\]]+)"\]/.exec(error.message)?.[1] ?? "body"
      const what = (lines[0] ?? "Invalid body").replace(/,? got .*$/, "").trim()
      return InvalidInput.one(field, `${what}.`)
    })
  )
