import { Cause, Effect, Exit, Layer, Logger, References, Tracer } from "effect"

/** JSON that also shows Maps and bigints, so a scan sees everything a value holds. */
export const serialize = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Map ? [...v.entries()] : typeof v === "bigint" ? v.toString() : v
  )

/**
 * Records everything an effect could leak a secret through: every log line at every level (as logfmt and
 * structured), every span, and every rendering of every failure. Provide `layer`, run steps through `step`,
 * then `scan` for the sentinel.
 */
export const makeLeakRecorder = () => {
  const logs: Array<string> = []
  const errors: Array<string> = []
  const spans: Array<Tracer.NativeSpan> = []
  const layer = Layer.mergeAll(
    Logger.layer([
      Logger.make((options) => {
        logs.push(Logger.formatLogFmt.log(options), serialize(Logger.formatStructured.log(options)))
      })
    ]),
    Layer.succeed(References.MinimumLogLevel, "All"),
    Layer.succeed(
      Tracer.Tracer,
      Tracer.make({
        span: (options) => {
          const span = new Tracer.NativeSpan(options)
          spans.push(span)
          return span
        }
      })
    )
  )

  /** Runs a step, keeping every rendering of its failure; never fails itself. */
  const step = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.exit(effect).pipe(
      Effect.tap((exit) =>
        Effect.sync(() => {
          if (Exit.isFailure(exit)) {
            errors.push(Cause.pretty(exit.cause), serialize(exit.cause), String(exit.cause))
            for (const error of Cause.prettyErrors(exit.cause))
              errors.push(error.message, String(error), serialize(error))
          }
        })
      )
    )

  /** Every span as text: name, attributes, events and how it ended. */
  const spanText = () =>
    serialize(
      spans.map((span) => ({
        name: span.name,
        attributes: span.attributes,
        events: span.events,
        status: span.status._tag === "Ended" ? String(span.status.exit) : "open"
      }))
    )

  /** Every place the sentinel was found, by kind; empty when nothing leaked. */
  const scan = (sentinel: string): Array<string> => [
    ...logs.filter((line) => line.includes(sentinel)).map((line) => `log: ${line.slice(0, 200)}`),
    ...errors.filter((text) => text.includes(sentinel)).map((text) => `error: ${text.slice(0, 200)}`),
    ...(spanText().includes(sentinel) ? ["span"] : [])
  ]

  return { logs, errors, spans, layer, step, spanText, scan }
}
