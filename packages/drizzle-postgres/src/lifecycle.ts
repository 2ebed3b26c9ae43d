import { DrizzleDatabase } from "./drizzle-database.ts"

/** Readiness (for `/readyz`): one round trip, or StoreUnavailable with a one-line reason. */
export const ping = DrizzleDatabase.use((database) => database.ping)

/** Applies pending migrations (the layers already do on open); safe to run again. */
export const migrate = DrizzleDatabase.use((database) => database.migrate)

/** Closes the database before the layer's scope would. */
export const close = DrizzleDatabase.use((database) => database.close)
