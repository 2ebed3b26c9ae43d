import { Schema } from "effect"
import { UserId, WorkspaceId } from "./ids.ts"

/** Reading any Jira surface. */
export const DASHBOARD_VIEW = "dashboard.view"
/** Creating, changing or removing credentials and the Jira configuration. */
export const SETTINGS_MANAGE = "settings.manage"

export const Permission = Schema.Literals([DASHBOARD_VIEW, SETTINGS_MANAGE])
export type Permission = typeof Permission.Type

/** A workspace role, as the platform grants it; each maps to a fixed set of permissions. */
export const Role = Schema.Literals(["admin", "viewer"])
export type Role = typeof Role.Type

const ROLE_PERMISSIONS: Record<Role, ReadonlyArray<Permission>> = {
  admin: [DASHBOARD_VIEW, SETTINGS_MANAGE],
  viewer: [DASHBOARD_VIEW]
}

export const permissionsOf = (role: Role): ReadonlyArray<Permission> => ROLE_PERMISSIONS[role]

/** Who is acting, in which workspace, allowed to do what. */
export class Principal extends Schema.Class<Principal>("@sciple/jira-core/Principal")({
  userId: UserId,
  workspaceId: WorkspaceId,
  permissions: Schema.Array(Permission)
}) {
  can(permission: Permission): boolean {
    return this.permissions.includes(permission)
  }
}
