import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import { browseUrl, parseSiteUrl } from "../../src/domain/site-url.ts"

const ok = (input: string) => {
  const r = parseSiteUrl(input)
  if (Result.isFailure(r)) throw new Error(`expected ${input} to pass: ${r.failure}`)
  return r.success
}
const reason = (input: string) => {
  const r = parseSiteUrl(input)
  if (Result.isSuccess(r)) throw new Error(`expected ${input} to be refused`)
  return r.failure
}

describe("parseSiteUrl", () => {
  it("accepts and normalises Atlassian Cloud sites", () => {
    expect(ok("https://your-domain.atlassian.net")).toBe("https://your-domain.atlassian.net")
    expect(ok("  HTTPS://Acme.Atlassian.NET/ ")).toBe("https://acme.atlassian.net")
    expect(ok("https://a1.atlassian.net")).toBe("https://a1.atlassian.net")
  })

  it.each([
    ["", "Enter your Jira Cloud URL"],
    ["http://acme.atlassian.net", "https://"],
    ["acme.atlassian.net", "https://"],
    ["https://user:pw@acme.atlassian.net", "user name or password"],
    ["https://acme.atlassian.net:443", "port"],
    ["https://acme.atlassian.net/jira", "path"],
    ["https://acme.atlassian.net?x=1", "query or fragment"],
    ["https://acme.atlassian.net#frag", "query or fragment"],
    ["https://evil.com#.atlassian.net", "query or fragment"],
    ["https://127.0.0.1", "Jira Cloud site"],
    ["https://[::1]", "port"],
    ["https://atlassian.net.evil.com", "Jira Cloud site"],
    ["https://acme.atlassian.net.", "dot"],
    ["https://acme.atlassian.net%2eevil.com", "encoded"],
    ["https://аcme.atlassian.net", "ASCII"],
    ["https://xn--cme-8cd.atlassian.net", "Jira Cloud site"],
    ["https://-acme.atlassian.net", "Jira Cloud site"],
    ["https://a.b.atlassian.net", "Jira Cloud site"],
    [`https://${"a".repeat(64)}.atlassian.net`, "Jira Cloud site"],
    ["https://acme.atlassian.net\\@evil.com", "path"],
    ["javascript:alert(1)", "https://"]
  ])("refuses %j with a reason", (input, fragment) => {
    expect(reason(input)).toContain(fragment)
  })

  it("builds browse links that stay on the site", () => {
    expect(browseUrl(ok("https://acme.atlassian.net"), "ABC-1")).toBe("https://acme.atlassian.net/browse/ABC-1")
    expect(browseUrl(ok("https://acme.atlassian.net"), "../x?y")).toBe("https://acme.atlassian.net/browse/..%2Fx%3Fy")
  })
})
