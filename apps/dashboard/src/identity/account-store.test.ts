import { afterAll } from "@effect/vitest"
import { sharedTestStores, testDriver } from "@sciple/drizzle-postgres/testing"
import { Layer } from "effect"
import { accountStoreContract } from "./account-store.contract.ts"
import { AccountStoreDrizzle } from "./account-store.drizzle.ts"
import { AccountStoreInMemory } from "./account-store.in-memory.ts"

// The fake and the database adapter pass the same suite.
accountStoreContract("in-memory", () => AccountStoreInMemory)

const stores = sharedTestStores()
afterAll(() => stores.dispose())
accountStoreContract(`drizzle on ${testDriver()}`, () => AccountStoreDrizzle.pipe(Layer.provideMerge(stores.layer())))
