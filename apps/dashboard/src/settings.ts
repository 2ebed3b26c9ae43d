import { Redacted, Result } from "effect"
import { NO_TRUSTED_PROXIES, parseTrustedProxies, type TrustedProxies } from "./identity/client-address.ts"
import { parseAllowList } from "./observability/address-allow.ts"

/** The dashboard's configuration, read from the environment once at start. */
export interface Settings {
  readonly port: number
  readonly host: string
  /** PostgreSQL when set; otherwise the embedded database in `dataDir`. */
  readonly databaseUrl: string | null
  readonly dataDir: string
  readonly secretStore: "local" | "aws"
  /** 0 turns the Jira cache off. */
  readonly cacheTtlSeconds: number
  /** Past the TTL and within this, a view gets the stored answer at once and one refresh runs behind it. */
  readonly maxStaleSeconds: number
  readonly jiraTimeoutMs: number
  readonly logLevel: "Trace" | "Debug" | "Info" | "Warn" | "Error" | "Fatal" | "None"
  readonly sessionTtlHours: number
  readonly admin: { readonly email: string; readonly password: string } | null
  /** How people reach the app, for the printed setup link; defaults to http://<host>:<port>. */
  readonly publicUrl: string | null
  /** `logfmt` lines, or one JSON object a line with the trace and span ids. */
  readonly logFormat: "logfmt" | "json"
  /** Where OTLP traces and metrics go (`/v1/traces`, `/v1/metrics` below it); null exports nothing. */
  readonly otlp: {
    readonly endpoint: string
    readonly serviceName: string
    /** May carry a vendor's API key. */
    readonly headers: Redacted.Redacted<Readonly<Record<string, string>>>
  } | null
  /** Who may scrape `/metrics`: addresses in these CIDRs, or anyone with the bearer token. */
  readonly metrics: {
    readonly allow: ReadonlyArray<string>
    readonly token: Redacted.Redacted<string> | null
  }
  /** Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed; none by default. */
  readonly trustedProxies: TrustedProxies
  /** Secure, `__Host-` session cookies: PUBLIC_URL is https or NODE_ENV is production. */
  readonly secureCookies: boolean
}

const LOG_LEVELS = ["Trace", "Debug", "Info", "Warn", "Error", "Fatal", "None"] as const

type Env = Readonly<Record<string, string | undefined>>

/**
 * Validates every setting and reports each bad one with its name and what it should be, so a
 * misconfigured start fails at once with all its reasons.
 */
export const readSettings = (env: Env): Result.Result<Settings, ReadonlyArray<string>> => {
  const problems: Array<string> = []
  const value = (name: string) => {
    const v = env[name]
    return v === undefined || v.trim() === "" ? undefined : v.trim()
  }
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = value(name)
    if (raw === undefined) return fallback
    const n = Number(raw)
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw.slice(0, 40)}").`)
      return fallback
    }
    return n
  }
  const port = int("PORT", 3000, 0, 65_535)
  const cacheTtlSeconds = int("JIRA_CACHE_TTL_SECONDS", 60, 0, 86_400)
  const maxStaleSeconds = int("JIRA_MAX_STALE_SECONDS", 600, 0, 86_400)
  const jiraTimeoutMs = int("JIRA_TIMEOUT_MS", 10_000, 100, 120_000)
  const sessionTtlHours = int("SESSION_TTL_HOURS", 12, 1, 24 * 30)

  const databaseUrl = value("DATABASE_URL") ?? null
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    // The URL may hold a password: name the setting, never echo it.
    problems.push("DATABASE_URL must be a postgres:// or postgresql:// URL.")
  }

  const secretStore = value("SECRET_STORE") ?? "local"
  if (secretStore !== "local" && secretStore !== "aws")
    problems.push(`SECRET_STORE must be "local" or "aws" (got "${secretStore.slice(0, 40)}").`)
  if (secretStore === "aws" && value("AWS_REGION") === undefined && value("AWS_DEFAULT_REGION") === undefined) {
    problems.push("SECRET_STORE=aws needs AWS_REGION.")
  }

  const level = value("LOG_LEVEL") ?? "Info"
  const logLevel = LOG_LEVELS.find((l) => l.toLowerCase() === level.toLowerCase())
  if (logLevel === undefined)
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (got "${level.slice(0, 40)}").`)

  const adminEmail = value("ADMIN_EMAIL")
  const adminPassword = env.ADMIN_PASSWORD
  if ((adminEmail === undefined) !== (adminPassword === undefined || adminPassword === "")) {
    problems.push("ADMIN_EMAIL and ADMIN_PASSWORD go together: set both or neither.")
  } else if (adminEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(adminEmail)) {
    problems.push("ADMIN_EMAIL must be an email address.")
  } else if (adminPassword !== undefined && adminPassword.length > 0 && adminPassword.length < 12) {
    problems.push("ADMIN_PASSWORD must be at least 12 characters.")
  }

  const publicUrl = value("PUBLIC_URL") ?? null
  if (publicUrl !== null && !/^https?:\/\/[^\s/]+/.test(publicUrl)) problems.push("PUBLIC_URL must be an http(s) URL.")

  const logFormat = (value("LOG_FORMAT") ?? "logfmt").toLowerCase()
  if (logFormat !== "logfmt" && logFormat !== "json")
    problems.push(`LOG_FORMAT must be "logfmt" or "json" (got "${logFormat.slice(0, 40)}").`)

  const otlpEndpoint = value("OTEL_EXPORTER_OTLP_ENDPOINT") ?? null
  if (otlpEndpoint !== null && !/^https?:\/\/[^\s/]+/.test(otlpEndpoint))
    problems.push("OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL.")
  const otlpHeaders: Record<string, string> = {}
  // The OpenTelemetry form `key=value,key2=value2`; values may be API keys, so none is echoed.
  for (const pair of (value("OTEL_EXPORTER_OTLP_HEADERS") ?? "").split(",").filter((p) => p.trim() !== "")) {
    const at = pair.indexOf("=")
    const key = at > 0 ? pair.slice(0, at).trim() : ""
    if (!/^[A-Za-z0-9-]+$/.test(key)) {
      problems.push("OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs separated by commas.")
      break
    }
    otlpHeaders[key] = decodeURIComponent(pair.slice(at + 1).trim())
  }

  const allow = parseAllowList(value("METRICS_ALLOW") ?? "127.0.0.0/8,::1/128")
  if (Result.isFailure(allow))
    problems.push(`METRICS_ALLOW must be CIDRs separated by commas (bad: "${allow.failure.slice(0, 60)}").`)
  const metricsToken = value("METRICS_TOKEN")
  // Only the length is named: the token is a secret.
  if (metricsToken !== undefined && metricsToken.length < 16)
    problems.push("METRICS_TOKEN must be at least 16 characters.")
  const proxies = parseTrustedProxies(value("TRUSTED_PROXIES"))
  problems.push(...proxies.problems)

  if (problems.length > 0) return Result.fail(problems)
  return Result.succeed({
    port,
    host: value("HOST") ?? "127.0.0.1",
    databaseUrl,
    dataDir: value("DATA_DIR") ?? "./.data",
    secretStore: secretStore as "local" | "aws",
    cacheTtlSeconds,
    maxStaleSeconds,
    jiraTimeoutMs,
    logLevel: logLevel ?? "Info",
    sessionTtlHours,
    admin:
      adminEmail !== undefined && adminPassword !== undefined
        ? { email: adminEmail.toLowerCase(), password: adminPassword }
        : null,
    publicUrl: publicUrl?.replace(/\/$/, "") ?? null,
    logFormat: logFormat === "json" ? "json" : "logfmt",
    otlp:
      otlpEndpoint === null
        ? null
        : {
            endpoint: otlpEndpoint.replace(/\/$/, ""),
            serviceName: value("OTEL_SERVICE_NAME") ?? "sciple-dashboard",
            headers: Redacted.make(otlpHeaders)
          },
    metrics: {
      allow: Result.isSuccess(allow) ? allow.success : [],
      token: metricsToken === undefined ? null : Redacted.make(metricsToken)
    },
    trustedProxies: proxies.proxies.entries.length > 0 ? proxies.proxies : NO_TRUSTED_PROXIES,
    secureCookies: publicUrl?.startsWith("https://") === true || value("NODE_ENV") === "production"
  })
}
