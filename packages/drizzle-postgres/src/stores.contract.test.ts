import { afterAll } from "@effect/vitest"
import { accountStoreContract, configStoreContract } from "@sciple/jira-core/testing"
import { sharedTestStores, testDriver } from "./testing/index.ts"

// Both suites on one database: they only ever touch workspaces and users of their own.
const stores = sharedTestStores()
afterAll(() => stores.dispose())

configStoreContract(`drizzle on ${testDriver()}`, stores.layer)
accountStoreContract(`drizzle on ${testDriver()}`, stores.layer)
