export { SecretStoreLocalSetupError } from "./encryption-key.local.ts"
export type { SecretStoreLocalOptions } from "./secret-store.local.ts"
export * as SecretStoreLocal from "./secret-store.local.ts"
