/** The dashboard's own identity: workspaces, users, memberships, sessions and personal API tokens (adr/0018). */
export * from "./AccountStore.ts"
export * from "./account-store.drizzle.ts"
export * from "./accounts.ts"
export * from "./api-tokens.ts"
export * from "./create-administrator.ts"
