import { Context, Effect } from "effect"
import { DASHBOARD_VIEW, type Principal, SETTINGS_MANAGE } from "./domain/permissions.ts"
import { NotPermitted } from "./errors.ts"

/**
 * Authorization as a typed requirement. A use case that reads needs `DashboardViewer` in its context;
 * one that writes needs `SettingsManager`. Only `asViewer` / `asManager` provide them, after checking
 * the permission, so a use case run without its check does not compile.
 */
export class DashboardViewer extends Context.Service<DashboardViewer, Principal>()(
  "@sciple/jira-core/DashboardViewer"
) {}

export class SettingsManager extends Context.Service<SettingsManager, Principal>()(
  "@sciple/jira-core/SettingsManager"
) {}

/** Runs a read use case for `principal`, or fails with NotPermitted when it lacks `dashboard.view`. */
export const asViewer =
  (principal: Principal) =>
  <A, E, R>(useCase: Effect.Effect<A, E, R>): Effect.Effect<A, E | NotPermitted, Exclude<R, DashboardViewer>> =>
    principal.can(DASHBOARD_VIEW)
      ? Effect.provideService(useCase, DashboardViewer, principal)
      : Effect.fail(new NotPermitted({ permission: DASHBOARD_VIEW }))

/** Runs a write use case for `principal`, or fails with NotPermitted when it lacks `settings.manage`. */
export const asManager =
  (principal: Principal) =>
  <A, E, R>(useCase: Effect.Effect<A, E, R>): Effect.Effect<A, E | NotPermitted, Exclude<R, SettingsManager>> =>
    principal.can(SETTINGS_MANAGE)
      ? Effect.provideService(useCase, SettingsManager, principal)
      : Effect.fail(new NotPermitted({ permission: SETTINGS_MANAGE }))
