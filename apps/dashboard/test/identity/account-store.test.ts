import { afterAll } from "@effect/vitest"
import { sharedTestStores, testDriver } from "@sciple/drizzle-postgres/testing"
import { makeInMemoryConfigStore } from "@sciple/jira-core/testing"
import { Layer } from "effect"
import { AccountStoreDrizzle } from "../../src/identity/account-store.drizzle.ts"
import { accountStoreContract } from "../support/account-store.contract.ts"
import { makeInMemoryAccountStore } from "../support/account-store.in-memory.ts"

// The fake and the database adapter pass the same suite; the fake writes its audit into the ConfigStore fake's.
accountStoreContract("in-memory", () => {
  const config = makeInMemoryConfigStore()
  return Layer.merge(makeInMemoryAccountStore(config.state.audit).layer, config.layer)
})

const stores = sharedTestStores()
afterAll(() => stores.dispose())
accountStoreContract(`drizzle on ${testDriver()}`, () => AccountStoreDrizzle.pipe(Layer.provideMerge(stores.layer())))
