import { Redacted } from "effect"
import { makeInMemoryConfigStore } from "../testing/config-store.in-memory.ts"
import { newWorkspaceIds } from "../testing/fixtures.ts"
import { makeFakeIssueSource } from "../testing/issue-source.fake.ts"
import { aFakeSite, FAKE_EMAIL, FAKE_SITE, FAKE_TOKEN } from "../testing/mothers.ts"
import { SecretStoreInMemory } from "../testing/secret-store.in-memory.ts"
import { configStoreContract } from "./config-store.contract.ts"
import { credentialCreateContract } from "./credential-create.contract.ts"
import { issueSourceContract } from "./issue-source.contract.ts"
import { secretStoreContract } from "./secret-store.contract.ts"

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
