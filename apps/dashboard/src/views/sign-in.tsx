import { TextField } from "./components.tsx"
import { Layout } from "./layout.tsx"

/** The sign-in page (with the demo's accounts, in the demo) and the first administrator's setup page. */

/** Shown on the demo's sign-in page only. */
export type DemoUsers = ReadonlyArray<{ readonly email: string; readonly password: string; readonly role: string }>

export const LoginPage = (props: { demo: DemoUsers | null; email: string; error: string | null; next: string }) => (
  <Layout title="Sign in" viewer={null} section="none" demo={props.demo !== null}>
    <section class="login panel">
      <h1>Sign in to Sciple</h1>
      {props.demo !== null && (
        <div class="demo-credentials">
          <strong>Demo accounts</strong>
          <ul>
            {props.demo.map((u) => (
              <li>
                <code>{u.email}</code> / <code>{u.password}</code> ({u.role})
              </li>
            ))}
          </ul>
        </div>
      )}
      {props.error !== null && (
        <p class="error-panel" role="alert">
          {props.error}
        </p>
      )}
      <form method="post" action="/login" class="stack">
        <input type="hidden" name="next" value={props.next} />
        <label>
          Email
          <input type="email" name="email" autocomplete="username" required value={props.email} />
        </label>
        <label>
          Password
          <input type="password" name="password" autocomplete="current-password" required />
        </label>
        <div class="button-row">
          <button type="submit">Sign in</button>
        </div>
      </form>
    </section>
  </Layout>
)

export const SetupPage = (props: {
  demo: boolean
  token: string
  errors: Record<string, string>
  values: Record<string, string>
}) => (
  <Layout title="Create the first administrator" viewer={null} section="none" demo={props.demo}>
    <section class="login panel">
      <h1>Create the first administrator</h1>
      <p class="muted">This link works once, until the first account exists.</p>
      <form method="post" action="/setup" class="stack">
        <input type="hidden" name="token" value={props.token} />
        <TextField
          id="workspace"
          label="Workspace name"
          name="workspace"
          maxlength={100}
          value={props.values.workspace ?? ""}
          error={props.errors.workspace}
        />
        <TextField
          id="email"
          label="Email"
          type="email"
          name="email"
          autocomplete="username"
          value={props.values.email ?? ""}
          error={props.errors.email}
        />
        <TextField
          id="password"
          label="Password"
          hint="At least 12 characters."
          type="password"
          name="password"
          minlength={12}
          autocomplete="new-password"
          error={props.errors.password}
        />
        <button type="submit">Create administrator</button>
      </form>
    </section>
  </Layout>
)
