import { afterAll } from "@effect/vitest"
import { configStoreContract, credentialCreateContract } from "@sciple/jira-core/contracts"
import { sharedTestStores, testDriver } from "../src/testing/index.ts"
import { freshWorkspace } from "./support/fixtures.ts"

// One database for the suite: it only ever touches workspaces and users of its own.
const stores = sharedTestStores()
afterAll(() => stores.dispose())

configStoreContract(`drizzle on ${testDriver()}`, stores.layer, freshWorkspace)
// The create path (adr/0028) over this store behind core's fault switchboard: a lost commit answer, five at once.
credentialCreateContract(`drizzle on ${testDriver()}`, stores.layer, freshWorkspace)
