import type { DocumentedSite } from "../../src/testing/documented/index.ts"

/** One documented site: a project ACME among 60 whose keys contain "ACME", and the four kinds of token. */
export const documentedSite = (site = "https://acme.atlassian.net", gatewayOrigin = "https://api.atlassian.com") => {
  const tokens = {
    classic: { email: "bot@example.test", token: "classic-token-1" },
    scoped: { email: "bot@example.test", token: "scoped-token-all" },
    scopedWithoutUser: { email: "bot@example.test", token: "scoped-token-work-only" },
    revoked: { email: "bot@example.test", token: "revoked-token" }
  }
  const model: DocumentedSite = {
    site,
    gatewayOrigin,
    cloudId: "1c5b2d4e-0a7f-4b8e-9c3d-2f6a8b1e4d70",
    classic: [tokens.classic],
    scoped: [
      { ...tokens.scoped, scopes: ["read:jira-work", "read:jira-user"] },
      { ...tokens.scopedWithoutUser, scopes: ["read:jira-work"] }
    ],
    projects: [
      { id: "10000", key: "ACME", name: "Acme" },
      ...Array.from({ length: 60 }, (_, i) => ({
        id: String(10_001 + i),
        key: `ACME${String(i).padStart(2, "0")}`,
        name: `Acme team ${i}`
      }))
    ],
    issuesPerProject: 5
  }
  return { model, tokens }
}
