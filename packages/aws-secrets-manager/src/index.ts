export type { SecretStoreAwsConfig } from "./secret-store.aws.ts"
export * as SecretStoreAws from "./secret-store.aws.ts"
export { SecretStoreAwsConfigError } from "./secret-store.aws.ts"
export type { AwsStaticCredentials } from "./secrets-manager.client.ts"
