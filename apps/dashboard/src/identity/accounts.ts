import { Role, UserId, WorkspaceId } from "@sciple/jira-core"
import { Schema } from "effect"

export class Workspace extends Schema.Class<Workspace>("@sciple/dashboard/Workspace")({
  id: WorkspaceId,
  name: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(100)),
  createdAt: Schema.Date
}) {}

/** A person who signs in to the dashboard. The hash is the platform's (scrypt); never a password. */
export class User extends Schema.Class<User>("@sciple/dashboard/User")({
  id: UserId,
  email: Schema.String.check(Schema.isMinLength(3), Schema.isMaxLength(254)),
  displayName: Schema.String.check(Schema.isMaxLength(100)),
  passwordHash: Schema.String,
  createdAt: Schema.Date
}) {}

export class Membership extends Schema.Class<Membership>("@sciple/dashboard/Membership")({
  userId: UserId,
  workspaceId: WorkspaceId,
  role: Role
}) {}

/** A signed-in browser. Only a hash of the session id is stored, so a database dump signs nobody in. */
export class Session extends Schema.Class<Session>("@sciple/dashboard/Session")({
  idHash: Schema.String,
  userId: UserId,
  workspaceId: WorkspaceId,
  createdAt: Schema.Date,
  expiresAt: Schema.Date
}) {}

/** A personal API token for the JSON API; stored hashed, shown once at creation. */
export class ApiToken extends Schema.Class<ApiToken>("@sciple/dashboard/ApiToken")({
  id: Schema.String,
  userId: UserId,
  workspaceId: WorkspaceId,
  name: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(100)),
  tokenHash: Schema.String,
  createdAt: Schema.Date,
  lastUsedAt: Schema.NullOr(Schema.Date),
  revokedAt: Schema.NullOr(Schema.Date),
  /** Chosen at creation; absent or null: never expires (only by explicit choice). */
  expiresAt: Schema.optionalKey(Schema.NullOr(Schema.Date))
}) {}
