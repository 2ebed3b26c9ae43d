import { Result } from "effect"
import { NO_TRUSTED_PROXIES, parseTrustedProxies, type TrustedProxies } from "./identity/client-address.ts"

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
  readonly jiraTimeoutMs: number
  readonly logLevel: "Trace" | "Debug" | "Info" | "Warn" | "Error" | "Fatal" | "None"
  readonly sessionTtlHours: number
  readonly admin: { readonly email: string; readonly password: string } | null
  /** How people reach the app, for the printed setup link; defaults to http://<host>:<port>. */
  readonly publicUrl: string | null
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
    jiraTimeoutMs,
    logLevel: logLevel ?? "Info",
    sessionTtlHours,
    admin:
      adminEmail !== undefined && adminPassword !== undefined
        ? { email: adminEmail.toLowerCase(), password: adminPassword }
        : null,
    publicUrl: publicUrl?.replace(/\/$/, "") ?? null,
    trustedProxies: proxies.proxies.entries.length > 0 ? proxies.proxies : NO_TRUSTED_PROXIES,
    secureCookies: publicUrl?.startsWith("https://") === true || value("NODE_ENV") === "production"
  })
}
