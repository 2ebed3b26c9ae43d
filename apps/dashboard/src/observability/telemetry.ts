import { Layer, Metric, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { OtlpMetrics, OtlpSerialization, OtlpTracer } from "effect/observability"
import type { Settings } from "../settings.ts"

/**
 * The process's metric registry (its own, so two apps in one process, as in tests, count apart) and, when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set, Effect's OTLP exporters for traces and metrics (JSON over HTTP).
 * Logs stay on standard output (`LOG_FORMAT=json` carries the trace ids), where collectors read them.
 */
export const telemetryLayer = (settings: Pick<Settings, "otlp">) => {
  const registry = Layer.succeed(Metric.MetricRegistry)(new Map())
  if (settings.otlp === null) return registry
  const common = {
    resource: { serviceName: settings.otlp.serviceName },
    headers: Redacted.value(settings.otlp.headers)
  }
  const exporters = Layer.mergeAll(
    OtlpTracer.layer({ url: `${settings.otlp.endpoint}/v1/traces`, ...common }),
    OtlpMetrics.layer({ url: `${settings.otlp.endpoint}/v1/metrics`, ...common })
  ).pipe(Layer.provide(Layer.mergeAll(FetchHttpClient.layer, OtlpSerialization.layerJson, registry)))
  return Layer.merge(exporters, registry)
}
