import { Context, Logger, Tracer } from "effect"

/**
 * One JSON object a line (Effect's structured form) with the current trace and span ids, so a log search
 * and a trace view meet on the same request.
 */
const jsonWithTrace = Logger.make((options) => {
  const entry = Logger.formatStructured.log(options)
  const span = Context.getOption(options.fiber.context, Tracer.ParentSpan)
  return JSON.stringify(
    span._tag === "Some" ? { ...entry, traceId: span.value.traceId, spanId: span.value.spanId } : entry
  )
})

/** The process's logger for `LOG_FORMAT`. */
export const loggerFor = (format: "logfmt" | "json") =>
  format === "json" ? Logger.withConsoleLog(jsonWithTrace) : Logger.consoleLogFmt
