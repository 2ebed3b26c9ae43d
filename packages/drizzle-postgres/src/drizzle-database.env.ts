import { Config, Effect, Layer, Option, Redacted } from "effect"
import { layerPglite } from "./drizzle-database.pglite.ts"
import { layerPostgres } from "./drizzle-database.postgres.ts"

/** Which database the environment names: PostgreSQL when `DATABASE_URL` is set (and not blank), else PGlite. */
export const databaseFromEnv = Effect.gen(function* () {
  const url = (yield* Config.option(Config.Redacted("DATABASE_URL"))).pipe(
    Option.filter((value) => Redacted.value(value).trim().length > 0)
  )
  const dataDir = (yield* Config.option(Config.String("DATA_DIR"))).pipe(
    Option.filter((value) => value.trim().length > 0)
  )
  return Option.isSome(url)
    ? ({ driver: "postgres", url: url.value } as const)
    : ({ driver: "pglite", dataDir: Option.getOrUndefined(dataDir) } as const)
})

/**
 * PostgreSQL when `DATABASE_URL` is set, otherwise the embedded database in `DATA_DIR` (default `./.data`).
 * Migrations are applied on open.
 */
export const layerFromEnv = Layer.unwrap(
  Effect.map(databaseFromEnv, (target) =>
    target.driver === "postgres"
      ? layerPostgres(target.url)
      : layerPglite(target.dataDir === undefined ? {} : { dataDir: target.dataDir })
  )
)
