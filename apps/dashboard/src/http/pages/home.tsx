import { asViewer, BypassCache, DASHBOARD_VIEW, homeSummary, SETTINGS_MANAGE } from "@sciple/jira-core"
import { Effect, Result } from "effect"
import { type Context, Hono } from "hono"
import { ErrorPanel } from "../../views/components.tsx"
import { HomeView, JiraWidget } from "../../views/home.tsx"
import { refreshLimited, wantsFresh } from "../refresh-limit.ts"
import { type AppDeps, attempt, type SignedInEnv } from "../runtime.ts"
import type { Surface } from "../surface.ts"
import { page } from "./page.tsx"

/** Home: the page and its widget fragment (Refresh). */
export const homeSurface = (deps: AppDeps): Surface => {
  const routes = new Hono<SignedInEnv>()

  const widget = async (c: Context<SignedInEnv>) => {
    const { principal } = c.var.auth
    const result = await attempt(
      deps,
      homeSummary().pipe(asViewer(principal), Effect.provideService(BypassCache, wantsFresh(c)))
    )
    return {
      result,
      canManage: principal.can(SETTINGS_MANAGE),
      now: deps.now(),
      freshForMs: deps.jiraFreshForMs,
      limited: refreshLimited(c)
    }
  }

  routes.get("/", async (c) => page(c, deps, "Home", "home", <HomeView {...(await widget(c))} />))

  routes.get("/fragments/jira-widget", async (c) => {
    const props = await widget(c)
    if (Result.isFailure(props.result) && props.result.failure._tag === "NotPermitted")
      return c.html(<ErrorPanel message={props.result.failure.message} />, 403)
    return c.html(<JiraWidget {...props} />)
  })

  return { kind: "page", base: "/", permission: DASHBOARD_VIEW, routes }
}
