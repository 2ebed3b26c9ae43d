export * from "./secret-store.aws.testing.ts"
export * from "./secrets-manager/index.ts"
