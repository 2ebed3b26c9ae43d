/** The dashboard over HTTP, as a signed-in administrator of the demo workspace. */
export interface Dashboard {
  readonly url: string
  readonly cookie: string
  /** GET a page; the body is read to the end before the time stops. */
  readonly get: (path: string) => Promise<{ status: number; html: string; ms: number; sentAt: number; doneAt: number }>
  /**
   * Makes every cached Jira answer stale for this workspace: the cache key holds the configuration's version,
   * so a new version (here, a changed display name) means the next page view has to ask Jira again.
   */
  readonly invalidate: () => Promise<void>
}

interface ConfigDto {
  readonly name: string
  readonly baseUrl: string
  readonly credentialId: string
  readonly defaultJql: string
  readonly version: number
}

export const signIn = async (url: string, email: string, password: string): Promise<Dashboard> => {
  const login = await fetch(`${url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: url },
    body: new URLSearchParams({ email, password }).toString()
  })
  await login.arrayBuffer()
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .find((c) => c.startsWith("sciple_session="))
  if (login.status !== 303 || cookie === undefined) throw new Error(`sign-in failed with ${login.status}`)

  const api = async (method: "GET" | "PUT", path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        cookie,
        origin: url,
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" })
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    const text = await res.text()
    if (res.status !== 200) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 200)}`)
    return JSON.parse(text) as unknown
  }
  const current = (await api("GET", "/api/v1/jira/config")) as { config: ConfigDto | null }
  if (current.config === null) throw new Error("the demo workspace has no Jira connection")
  let config: ConfigDto = current.config
  let bumps = 0

  return {
    url,
    cookie,
    get: async (path) => {
      const sentAt = performance.now()
      const res = await fetch(`${url}${path}`, { headers: { cookie }, redirect: "manual" })
      const html = await res.text()
      const doneAt = performance.now()
      return { status: res.status, html, ms: doneAt - sentAt, sentAt, doneAt }
    },
    invalidate: async () => {
      bumps++
      config = (await api("PUT", "/api/v1/jira/config", {
        name: `Demo Jira (${bumps})`,
        baseUrl: config.baseUrl,
        credentialId: config.credentialId,
        defaultJql: config.defaultJql,
        version: config.version
      })) as ConfigDto
    }
  }
}
