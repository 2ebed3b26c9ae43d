import { Redacted } from "effect"
import { layer, type SecretStoreAwsConfig } from "../secret-store.aws.ts"
import { FAKE_AWS_CREDENTIALS, type SecretsManagerEmulator } from "./secrets-manager/index.ts"

/**
 * The AWS SecretStore pointed at an emulator, with the emulator's fake credentials and a fast backoff
 * (1 ms base) so throttling tests take milliseconds. `overrides` win.
 */
export const secretStoreAwsTestLayer = (
  emulator: SecretsManagerEmulator,
  overrides: Partial<SecretStoreAwsConfig> = {}
) =>
  layer({
    region: emulator.region,
    endpoint:
      emulator.endpoint === `https://secretsmanager.${emulator.region}.amazonaws.com` ? undefined : emulator.endpoint,
    credentials: {
      accessKeyId: FAKE_AWS_CREDENTIALS.accessKeyId,
      secretAccessKey: Redacted.make(FAKE_AWS_CREDENTIALS.secretAccessKey)
    },
    retry: { baseDelay: "1 millis", maxDelay: "10 millis", maxRetries: 4 },
    requestTimeout: "2 seconds",
    ...overrides
  })
