import { Config, ConfigProvider, Effect, Option, Redacted, Result } from "effect"
import { NO_TRUSTED_PROXIES, parseTrustedProxies, type TrustedProxies } from "./identity/client-address.ts"
import { parseAllowList } from "./observability/address-allow.ts"

/** The dashboard's configuration, read from the environment once at start. */
export interface Settings {
  readonly port: number
  readonly host: string
  /** PostgreSQL when set; otherwise the embedded database in `dataDir`. The URL may carry a password. */
  readonly databaseUrl: Redacted.Redacted<string> | null
  readonly dataDir: string
  readonly secretStore: "local" | "aws"
  /** The local secret store's key (base64 of 32 bytes); null: a key file in the data folder. */
  readonly secretsLocalKey: Redacted.Redacted<string> | null
  /** 0 turns the Jira cache off. */
  readonly cacheTtlSeconds: number
  /** Past the TTL and within this, a view gets the stored answer at once and one refresh runs behind it. */
  readonly maxStaleSeconds: number
  readonly jiraTimeoutMs: number
  readonly logLevel: "Trace" | "Debug" | "Info" | "Warn" | "Error" | "Fatal" | "None"
  readonly sessionTtlHours: number
  readonly admin: { readonly email: string; readonly password: Redacted.Redacted<string> } | null
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
const SECRET_STORES = ["local", "aws"] as const

type Env = Readonly<Record<string, string | undefined>>

/** A password is taken as typed; every other value without surrounding blanks. Blank means unset. */
const UNTRIMMED = new Set(["ADMIN_PASSWORD"])
const cleaned = (env: Env): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, raw] of Object.entries(env)) {
    const v = raw === undefined || UNTRIMMED.has(name) ? raw : raw.trim()
    if (v !== undefined && v.trim() !== "") out[name] = v
  }
  return out
}

/** A secret's Config: its value is `Redacted` from the moment it is read, so no message or log can show it. */
const secret = (name: string) => Config.Redacted(name).pipe(Config.option)
const text = (name: string) => Config.String(name).pipe(Config.option)

/**
 * Reads every setting through Effect's `Config` (secrets with `Config.redacted`) from `env`, and reports each bad
 * one with its name and what it should be, so a misconfigured start fails at once with all its reasons. A
 * secret's value is never repeated.
 */
export const readSettings = (env: Env): Result.Result<Settings, ReadonlyArray<string>> => {
  const values = cleaned(env)
  const provider = ConfigProvider.fromEnv({ env: values })
  const problems: Array<string> = []
  const parse = <A>(config: Config.Config<A>): Result.Result<A, Config.ConfigError> =>
    Effect.runSync(Effect.result(config.parse(provider)))
  /** A value that cannot be wrong (a plain string or its absence). */
  const read = <A>(config: Config.Config<A>, fallback: A): A => {
    const result = parse(config)
    return Result.isSuccess(result) ? result.success : fallback
  }
  /** A non-secret value, shortened, for a message. */
  const got = (name: string) => `"${(values[name] ?? "").slice(0, 40)}"`

  const int = (name: string, fallback: number, min: number, max: number) => {
    const n = parse(Config.Int(name).pipe(Config.withDefault(fallback)))
    if (Result.isSuccess(n) && n.success >= min && n.success <= max) return n.success
    problems.push(`${name} must be a whole number from ${min} to ${max} (got ${got(name)}).`)
    return fallback
  }
  const port = int("PORT", 3000, 0, 65_535)
  const cacheTtlSeconds = int("JIRA_CACHE_TTL_SECONDS", 60, 0, 86_400)
  const maxStaleSeconds = int("JIRA_MAX_STALE_SECONDS", 600, 0, 86_400)
  const jiraTimeoutMs = int("JIRA_TIMEOUT_MS", 10_000, 100, 120_000)
  const sessionTtlHours = int("SESSION_TTL_HOURS", 12, 1, 24 * 30)

  const databaseUrl = Option.getOrNull(read(secret("DATABASE_URL"), Option.none()))
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(Redacted.value(databaseUrl))) {
    // The URL may hold a password: name the setting, never echo it.
    problems.push("DATABASE_URL must be a postgres:// or postgresql:// URL.")
  }

  const secretStore = parse(Config.Literals(SECRET_STORES, "SECRET_STORE").pipe(Config.withDefault("local" as const)))
  if (Result.isFailure(secretStore))
    problems.push(`SECRET_STORE must be "local" or "aws" (got ${got("SECRET_STORE")}).`)
  const region = read(text("AWS_REGION"), Option.none()).pipe(
    Option.orElse(() => read(text("AWS_DEFAULT_REGION"), Option.none()))
  )
  if (Result.isSuccess(secretStore) && secretStore.success === "aws" && Option.isNone(region)) {
    problems.push("SECRET_STORE=aws needs AWS_REGION.")
  }
  const secretsLocalKey = Option.getOrNull(read(secret("SECRETS_LOCAL_KEY"), Option.none()))
  // Base64 of 32 bytes is 44 characters ending in one "="; the store checks the bytes again when it opens.
  if (secretsLocalKey !== null && !/^[A-Za-z0-9+/]{43}=$/.test(Redacted.value(secretsLocalKey))) {
    problems.push(
      "SECRETS_LOCAL_KEY must be the base64 encoding of exactly 32 random bytes (44 characters, as printed by `openssl rand -base64 32`)."
    )
  }

  const level = read(Config.String("LOG_LEVEL").pipe(Config.withDefault("Info")), "Info")
  const logLevel = LOG_LEVELS.find((l) => l.toLowerCase() === level.toLowerCase())
  if (logLevel === undefined)
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (got ${got("LOG_LEVEL")}).`)

  const adminEmail = Option.getOrUndefined(read(text("ADMIN_EMAIL"), Option.none()))
  const adminPassword = Option.getOrUndefined(read(secret("ADMIN_PASSWORD"), Option.none()))
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    problems.push("ADMIN_EMAIL and ADMIN_PASSWORD go together: set both or neither.")
  } else if (adminEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(adminEmail)) {
    problems.push("ADMIN_EMAIL must be an email address.")
  } else if (adminPassword !== undefined && Redacted.value(adminPassword).length < 12) {
    problems.push("ADMIN_PASSWORD must be at least 12 characters.")
  }

  const publicUrl = Option.getOrNull(read(text("PUBLIC_URL"), Option.none()))
  if (publicUrl !== null && !/^https?:\/\/[^\s/]+/.test(publicUrl)) problems.push("PUBLIC_URL must be an http(s) URL.")

  const format = read(
    Config.String("LOG_FORMAT").pipe(
      Config.withDefault("logfmt"),
      Config.map((f) => f.toLowerCase())
    ),
    "logfmt"
  )
  if (format !== "logfmt" && format !== "json")
    problems.push(`LOG_FORMAT must be "logfmt" or "json" (got ${got("LOG_FORMAT")}).`)

  const otlpEndpoint = Option.getOrNull(read(text("OTEL_EXPORTER_OTLP_ENDPOINT"), Option.none()))
  if (otlpEndpoint !== null && !/^https?:\/\/[^\s/]+/.test(otlpEndpoint))
    problems.push("OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL.")
  const otlpHeaders: Record<string, string> = {}
  const headerPairs = read(secret("OTEL_EXPORTER_OTLP_HEADERS"), Option.none()).pipe(
    Option.map(Redacted.value),
    Option.getOrElse(() => "")
  )
  // The OpenTelemetry form `key=value,key2=value2`; values may be API keys, so none is echoed.
  for (const pair of headerPairs.split(",").filter((p) => p.trim() !== "")) {
    const at = pair.indexOf("=")
    const key = at > 0 ? pair.slice(0, at).trim() : ""
    if (!/^[A-Za-z0-9-]+$/.test(key)) {
      problems.push("OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs separated by commas.")
      break
    }
    otlpHeaders[key] = decodeURIComponent(pair.slice(at + 1).trim())
  }

  const allow = parseAllowList(read(Config.String("METRICS_ALLOW").pipe(Config.withDefault("127.0.0.0/8,::1/128")), ""))
  if (Result.isFailure(allow))
    problems.push(`METRICS_ALLOW must be CIDRs separated by commas (bad: "${allow.failure.slice(0, 60)}").`)
  const metricsToken = Option.getOrNull(read(secret("METRICS_TOKEN"), Option.none()))
  // Only the length is named: the token is a secret.
  if (metricsToken !== null && Redacted.value(metricsToken).length < 16)
    problems.push("METRICS_TOKEN must be at least 16 characters.")
  const proxies = parseTrustedProxies(Option.getOrUndefined(read(text("TRUSTED_PROXIES"), Option.none())))
  problems.push(...proxies.problems)

  if (problems.length > 0) return Result.fail(problems)
  const nodeEnv = Option.getOrNull(read(text("NODE_ENV"), Option.none()))
  return Result.succeed({
    port,
    host: read(Config.String("HOST").pipe(Config.withDefault("127.0.0.1")), "127.0.0.1"),
    databaseUrl,
    dataDir: read(Config.String("DATA_DIR").pipe(Config.withDefault("./.data")), "./.data"),
    secretStore: Result.isSuccess(secretStore) ? secretStore.success : "local",
    secretsLocalKey,
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
    logFormat: format === "json" ? "json" : "logfmt",
    otlp:
      otlpEndpoint === null
        ? null
        : {
            endpoint: otlpEndpoint.replace(/\/$/, ""),
            serviceName: read(
              Config.String("OTEL_SERVICE_NAME").pipe(Config.withDefault("sciple-dashboard")),
              "sciple-dashboard"
            ),
            headers: Redacted.make(otlpHeaders)
          },
    metrics: {
      allow: Result.isSuccess(allow) ? allow.success : [],
      token: metricsToken
    },
    trustedProxies: proxies.proxies.entries.length > 0 ? proxies.proxies : NO_TRUSTED_PROXIES,
    secureCookies: publicUrl?.startsWith("https://") === true || nodeEnv === "production"
  })
}
