/** @public the error a bad key or data folder fails the layer with */
export { SecretStoreLocalSetupError } from "./encryption-key.local.ts"
/** @public the layer's options */
export type { SecretStoreLocalOptions } from "./secret-store.local.ts"
export * as SecretStoreLocal from "./secret-store.local.ts"
