import { afterAll } from "@effect/vitest"
import { sharedTestStores, testDriver } from "@sciple/drizzle-postgres/testing"
import { Layer } from "effect"
import { AccountStoreDrizzle } from "../../src/identity/account-store.drizzle.ts"
import { accountStoreContract } from "../support/account-store.contract.ts"
import { AccountStoreInMemory } from "../support/account-store.in-memory.ts"

// The fake and the database adapter pass the same suite.
accountStoreContract("in-memory", () => AccountStoreInMemory)

const stores = sharedTestStores()
afterAll(() => stores.dispose())
accountStoreContract(`drizzle on ${testDriver()}`, () => AccountStoreDrizzle.pipe(Layer.provideMerge(stores.layer())))
