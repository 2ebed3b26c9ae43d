import { Effect, Layer } from "effect"
import { layerPglite } from "../../src/drizzle-database.pglite.ts"

/**
 * Test helper run as a separate process: opens the data folder given as argument, says so on stdout,
 * and keeps it open until killed. Lets tests check what a second process sees.
 */
const dataDir = process.argv[2]
if (dataDir === undefined) throw new Error("usage: hold-data-dir.ts <data folder>")

await Effect.runPromise(
  Layer.build(layerPglite({ dataDir })).pipe(
    Effect.andThen(Effect.sync(() => process.stdout.write("open\n"))),
    Effect.andThen(Effect.never),
    Effect.scoped
  )
)
