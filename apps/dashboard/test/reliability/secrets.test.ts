import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import {
  FAKE_AWS_CREDENTIALS,
  makeSecretsManagerEmulator,
  type SecretsManagerEmulator,
  type SecretsManagerFault,
  type SecretsManagerOperation
} from "@sciple/aws-secrets-manager/testing"
import {
  createJiraSimulator,
  DEMO_ACCOUNT,
  DEMO_SITE,
  type RunningServer,
  startJiraSimulatorServer
} from "@sciple/jira-simulator"
import {
  type App,
  Client,
  count,
  type FreshDatabase,
  freshDatabase,
  problem,
  rows,
  serveHandlers,
  startApp
} from "../support/reliability.ts"

/**
 * The app with SECRET_STORE=aws, its AWS adapter talking to an emulation of Secrets Manager, while AWS
 * throttles, denies access or is down on each operation the app uses. Each request fails in a way a person
 * can read, no secret is left without its credential row (or the reverse), and the same request succeeds
 * once AWS is back.
 *
 * The emulator's msw handlers are served on a loopback endpoint (SECRETS_AWS_ENDPOINT, as for LocalStack)
 * rather than intercepted in this process: the app's HTTP server (@hono/node-server) replaces the global
 * Response class, after which msw no longer recognises its own network-error answers for node:http clients
 * (it writes status 0 and the SDK's request hangs). Over loopback the SDK meets a real dropped connection.
 */

const REGION = "eu-west-1"
let emulator: SecretsManagerEmulator
let endpoint: Awaited<ReturnType<typeof serveHandlers>>
const sim = createJiraSimulator()
let simulator: RunningServer
const AWS_ENV = {
  AWS_ACCESS_KEY_ID: FAKE_AWS_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: FAKE_AWS_CREDENTIALS.secretAccessKey,
  // The SDK's credential chain must stop at the environment, never ask an instance metadata service.
  AWS_EC2_METADATA_DISABLED: "true"
}
const savedEnv = Object.fromEntries(
  [...Object.keys(AWS_ENV), "AWS_REGION", "SECRETS_AWS_ENDPOINT", "AWS_PROFILE", "AWS_SESSION_TOKEN"].map((name) => [
    name,
    process.env[name]
  ])
)

let database: FreshDatabase
let app: App
let admin: Client
let connectedCredential: string

const MESSAGES: Record<string, string> = {
  throttling: "Secret store error: the secret store is throttling requests.",
  access_denied: "Secret store error: access to the secret store was denied.",
  internal_error: "Secret store error: the secret store is unavailable.",
  network: "Secret store error: the secret store is unavailable."
}

const FAULTS: ReadonlyArray<SecretsManagerFault> = ["throttling", "access_denied", "internal_error", "network"]

const credentialBody = (name: string, token = `token-${name.replaceAll(" ", "-")}`) => ({
  name,
  username: DEMO_ACCOUNT.email,
  token
})

const liveSecrets = () =>
  [...emulator.secrets.values()]
    .filter((s) => s.deletedAt === null)
    .map((s) => s.name)
    .sort()

/** Every live secret belongs to a credential row and every row has its live secret; rows match the audit log. */
const expectNoOrphans = async () => {
  const refs = (await rows(app.db, "select secret_ref from credentials")).map((r) => String(r.secret_ref)).sort()
  expect(liveSecrets()).toEqual(refs)
  const created = await count(app.db, "select count(*)::int as n from audit_events where action = 'CREDENTIAL_CREATED'")
  const deleted = await count(app.db, "select count(*)::int as n from audit_events where action = 'CREDENTIAL_DELETED'")
  expect(refs).toHaveLength(created - deleted)
}

const createCredential = async (name: string) => {
  const reply = await admin.api("POST", "/api/v1/credentials", credentialBody(name))
  expect(reply.status, reply.text).toBe(201)
  return (reply.json() as { id: string }).id
}

const secretOf = async (id: string) => {
  const ref = String((await rows(app.db, `select secret_ref from credentials where id = '${id}'`))[0]?.secret_ref)
  return emulator.secrets.get(ref)
}

const expectSecretStoreProblem = (reply: Awaited<ReturnType<Client["api"]>>, fault: SecretsManagerFault) => {
  expect(reply.status, reply.text).toBe(503)
  expect(reply.type).toContain("application/problem+json")
  expect(problem(reply)).toMatchObject({ code: "SecretStoreError", detail: MESSAGES[fault] })
}

const inject = (fault: SecretsManagerFault, operation: SecretsManagerOperation) =>
  emulator.injectFault(fault, { operation })

beforeAll(async () => {
  endpoint = await serveHandlers(() => emulator.handlers)
  emulator = makeSecretsManagerEmulator({ region: REGION, endpoint: endpoint.url })
  simulator = await startJiraSimulatorServer(sim, { port: 0, host: "127.0.0.1" })
  // The AWS adapter reads its settings and the SDK its credentials from the environment, as in production.
  Object.assign(process.env, AWS_ENV, { AWS_REGION: REGION, SECRETS_AWS_ENDPOINT: endpoint.url })
  delete process.env.AWS_PROFILE
  delete process.env.AWS_SESSION_TOKEN
  database = await freshDatabase()
  app = await startApp(database, {
    env: { SECRET_STORE: "aws", AWS_REGION: REGION },
    start: { routeHosts: { [new URL(DEMO_SITE).host]: simulator.url } }
  })
  admin = await new Client(app.url).signIn()
  connectedCredential = await createCredential("Jira bot")
  // The bot's real token, so that page reads reach the simulated site through the stored secret.
  const rotated = await admin.api("POST", `/api/v1/credentials/${connectedCredential}/rotate`, {
    token: DEMO_ACCOUNT.apiToken
  })
  expect(rotated.status).toBe(200)
  const connected = await admin.api("POST", "/api/v1/jira/config", {
    name: "Demo Jira",
    baseUrl: DEMO_SITE,
    credentialId: connectedCredential,
    defaultJql: ""
  })
  expect(connected.status).toBe(201)
  expect((await admin.api("GET", "/api/v1/jira/summary")).status).toBe(200)
})

afterAll(async () => {
  await app?.close()
  await endpoint?.close()
  await simulator?.close()
  await database?.drop()
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
})

describe("Secrets Manager failing under the app", () => {
  it("a throttled create is retried by the adapter and succeeds", async () => {
    emulator.injectFault("throttling", { operation: "CreateSecret", times: 2 })
    await createCredential("Patient bot")
    expect(emulator.requests.filter((r) => r.operation === "CreateSecret" && r.errorType !== null)).not.toHaveLength(0)
    await expectNoOrphans()
  })

  describe.each(FAULTS)("%s", (fault) => {
    it("on create (CreateSecret): a typed 503 on the API and the form, no row, no secret; then it succeeds", async () => {
      const name = `Create ${fault}`
      inject(fault, "CreateSecret")
      try {
        expectSecretStoreProblem(await admin.api("POST", "/api/v1/credentials", credentialBody(name)), fault)
        // Throttling costs its bounded retries per request: the form is checked for the other faults.
        if (fault !== "throttling") {
          const form = await admin.form("/manage/credentials", credentialBody(name))
          expect(form.status).toBe(503)
          expect(form.text).toContain(MESSAGES[fault])
        }
        expect(await count(app.db, `select count(*)::int as n from credentials where name = '${name}'`)).toBe(0)
        await expectNoOrphans()
      } finally {
        emulator.clearFaults()
      }
      await createCredential(name)
      await expectNoOrphans()
    })

    it("on read (GetSecretValue): the API and the home widget say so, the connection test reports it; then reads work", async () => {
      // A new credential's put empties any in-memory secret cache, so the connection's token is read from AWS.
      const other = await createCredential(`Read ${fault}`)
      inject(fault, "GetSecretValue")
      try {
        expectSecretStoreProblem(await admin.api("GET", "/api/v1/jira/summary"), fault)
        if (fault !== "throttling") {
          const home = await admin.page("/")
          expect(home.status).toBe(200)
          expect(home.text).toContain(MESSAGES[fault])
          // A test of the connection reports the failure as its result, by design.
          const tested = await admin.api("POST", "/api/v1/jira/config/test", {
            baseUrl: DEMO_SITE,
            credentialId: other
          })
          expect(tested.status).toBe(200)
          expect(tested.json()).toMatchObject({ ok: false, error: MESSAGES[fault] })
        }
      } finally {
        emulator.clearFaults()
      }
      const summary = await admin.api("GET", "/api/v1/jira/summary")
      expect(summary.status, summary.text).toBe(200)
      expect((await admin.page("/")).text).not.toContain("Secret store error")
      await expectNoOrphans()
    })

    it("on rotate (PutSecretValue): a typed 503, the old token and version kept, nothing audited; then it rotates", async () => {
      const id = await createCredential(`Rotate ${fault}`)
      const before = await secretOf(id)
      const valueBefore = before?.value
      const auditBefore = await count(app.db, "select count(*)::int as n from audit_events")
      inject(fault, "PutSecretValue")
      try {
        expectSecretStoreProblem(
          await admin.api("POST", `/api/v1/credentials/${id}/rotate`, { token: "rotated-token-1" }),
          fault
        )
        if (fault !== "throttling") {
          const form = await admin.form(`/manage/credentials/${id}/rotate`, { token: "rotated-token-1" })
          expect(form.status).toBe(503)
          expect(form.text).toContain(MESSAGES[fault])
        }
        expect((await secretOf(id))?.value).toBe(valueBefore)
        expect(await count(app.db, `select version as n from credentials where id = '${id}'`)).toBe(1)
        expect(await count(app.db, "select count(*)::int as n from audit_events")).toBe(auditBefore)
      } finally {
        emulator.clearFaults()
      }
      const rotated = await admin.api("POST", `/api/v1/credentials/${id}/rotate`, { token: "rotated-token-2" })
      expect(rotated.status).toBe(200)
      expect((await secretOf(id))?.value).toBe("rotated-token-2")
      expect(await count(app.db, `select version as n from credentials where id = '${id}'`)).toBe(2)
      await expectNoOrphans()
    })

    it("on delete (DeleteSecret): a typed 503, the row and its secret kept; then it deletes both", async () => {
      const id = await createCredential(`Delete ${fault}`)
      inject(fault, "DeleteSecret")
      try {
        expectSecretStoreProblem(await admin.api("DELETE", `/api/v1/credentials/${id}`), fault)
        if (fault !== "throttling") {
          const form = await admin.form(`/manage/credentials/${id}/delete`, {})
          expect(form.status).toBe(503)
          expect(form.text).toContain(MESSAGES[fault])
        }
        expect(await count(app.db, `select count(*)::int as n from credentials where id = '${id}'`)).toBe(1)
        expect((await secretOf(id))?.deletedAt).toBeNull()
        await expectNoOrphans()
      } finally {
        emulator.clearFaults()
      }
      expect((await admin.api("DELETE", `/api/v1/credentials/${id}`)).status).toBe(204)
      expect(await count(app.db, `select count(*)::int as n from credentials where id = '${id}'`)).toBe(0)
      await expectNoOrphans()
    })
  })
})
