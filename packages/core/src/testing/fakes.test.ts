import { Layer, Redacted } from "effect"
import { AccountStoreInMemory, makeInMemoryAccountStore } from "./account-store.in-memory.ts"
import { makeInMemoryConfigStore } from "./config-store.in-memory.ts"
import { accountStoreContract } from "./contracts/account-store.contract.ts"
import { configStoreContract } from "./contracts/config-store.contract.ts"
import { issueSourceContract } from "./contracts/issue-source.contract.ts"
import { secretStoreContract } from "./contracts/secret-store.contract.ts"
import { makeFakeIssueSource } from "./issue-source.fake.ts"
import { aFakeSite, FAKE_EMAIL, FAKE_SITE, FAKE_TOKEN } from "./mothers.ts"
import { SecretStoreInMemory } from "./secret-store.in-memory.ts"

// The fakes pass the same contract suites as the real adapters.
configStoreContract("in-memory", () => Layer.merge(makeInMemoryConfigStore().layer, makeInMemoryAccountStore().layer))
accountStoreContract("in-memory", () => AccountStoreInMemory)
secretStoreContract("in-memory", () => SecretStoreInMemory)
issueSourceContract("fake", () => makeFakeIssueSource({ [FAKE_SITE]: aFakeSite(new Date()) }).layer, {
  connection: { site: FAKE_SITE, email: FAKE_EMAIL, token: Redacted.make(FAKE_TOKEN), cacheKey: "c" },
  wrongToken: { site: FAKE_SITE, email: FAKE_EMAIL, token: Redacted.make("nope"), cacheKey: "c" },
  accountEmail: FAKE_EMAIL,
  bigProjectKey: "ALPHA",
  missingProjectKey: "NOPE"
})
