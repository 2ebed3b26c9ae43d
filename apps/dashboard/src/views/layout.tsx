import { raw } from "hono/html"
import type { Child } from "hono/jsx"

export interface Viewer {
  readonly email: string
  readonly workspaceName: string
  readonly canManage: boolean
}

export type Section = "home" | "projects" | "manage" | "none"

const Document = (props: {
  title: string
  viewer: Viewer | null
  section: Section
  demo: boolean
  children: Child
}) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="light dark" />
      <meta name="htmx-config" content='{"includeIndicatorCSS": false, "defaultTimeout": 30000}' />
      <title>{`${props.title} · Sciple`}</title>
      <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
      <link rel="stylesheet" href="/static/app.css" />
      <script src="/static/htmx.min.js" defer />
      <script src="/static/after-swap.js" defer />
    </head>
    <body>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      {props.demo && (
        <aside class="demo-banner" aria-label="Demo notice">
          Demo: the Jira data on these pages is simulated.
        </aside>
      )}
      <header class="top">
        <a class="brand" href="/">
          Sciple
        </a>
        {props.viewer !== null && (
          <nav aria-label="Main">
            <a href="/" aria-current={props.section === "home" ? "page" : undefined}>
              Home
            </a>
            <a href="/projects" aria-current={props.section === "projects" ? "page" : undefined}>
              Projects
            </a>
            {props.viewer.canManage ? (
              <a href="/manage" aria-current={props.section === "manage" ? "page" : undefined}>
                Manage
              </a>
            ) : (
              <a href="/manage/api-tokens" aria-current={props.section === "manage" ? "page" : undefined}>
                API tokens
              </a>
            )}
          </nav>
        )}
        {props.viewer !== null && (
          <div class="account">
            <span class="workspace">{props.viewer.workspaceName}</span>
            <span class="email">{props.viewer.email}</span>
            <form method="post" action="/logout">
              <button type="submit" class="link-button">
                Sign out
              </button>
            </form>
          </div>
        )}
      </header>
      <main id="main">{props.children}</main>
      {/* What changed after an in-page update ("25 more issues loaded"), read out by screen readers. */}
      <div id="announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" />
    </body>
  </html>
)

/**
 * The one page layout: header with navigation, a demo banner when the data is simulated, and the page.
 * The doctype keeps browsers out of quirks mode.
 */
export const Layout = (props: Parameters<typeof Document>[0]) => (
  <>
    {raw("<!doctype html>")}
    <Document {...props} />
  </>
)
