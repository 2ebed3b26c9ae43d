import { Redacted } from "effect"
import { configStoreContract } from "../../src/contracts/config-store.contract.ts"
import { credentialCreateContract } from "../../src/contracts/credential-create.contract.ts"
import { issueSourceContract } from "../../src/contracts/issue-source.contract.ts"
import { secretStoreContract } from "../../src/contracts/secret-store.contract.ts"
import { makeInMemoryConfigStore } from "../../src/testing/config-store.in-memory.ts"
import { newWorkspaceIds } from "../../src/testing/fixtures.ts"
import { makeFakeIssueSource } from "../../src/testing/issue-source.fake.ts"
import { aFakeSite, FAKE_EMAIL, FAKE_SITE, FAKE_TOKEN } from "../../src/testing/mothers.ts"
import { SecretStoreInMemory } from "../../src/testing/secret-store.in-memory.ts"

// The fakes pass the same contract suites as the real adapters.
configStoreContract("in-memory", () => makeInMemoryConfigStore().layer, newWorkspaceIds)
credentialCreateContract("in-memory", () => makeInMemoryConfigStore().layer, newWorkspaceIds)
secretStoreContract("in-memory", () => SecretStoreInMemory)
issueSourceContract("fake", () => makeFakeIssueSource({ [FAKE_SITE]: aFakeSite(new Date()) }).layer, {
  connection: { site: FAKE_SITE, email: FAKE_EMAIL, token: Redacted.make(FAKE_TOKEN), cacheKey: "c" },
  wrongToken: { site: FAKE_SITE, email: FAKE_EMAIL, token: Redacted.make("nope"), cacheKey: "c" },
  accountEmail: FAKE_EMAIL,
  bigProjectKey: "ALPHA",
  missingProjectKey: "NOPE"
})
