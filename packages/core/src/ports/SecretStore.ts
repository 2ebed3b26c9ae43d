import { Context, type Effect, type Redacted } from "effect"
import type { CredentialId, SecretRef, WorkspaceId } from "../domain/ids.ts"
import type { SecretError } from "../errors.ts"

/** Names the secret of one credential of one workspace; implementations derive their own key from it. */
export interface SecretOwner {
  readonly workspaceId: WorkspaceId
  readonly credentialId: CredentialId
}

/**
 * Where API tokens live, encrypted at rest. Values go in and come out only as `Redacted`.
 * Implementations: AWS Secrets Manager, the encrypted local store, and the in-memory fake.
 */
export class SecretStore extends Context.Service<
  SecretStore,
  {
    /**
     * The ref a secret of `owner` has (what `put` answers), known before it is written: a create records it
     * first, so a create that fails half-way can find its secret again (adr/0028). Pure: no call is made.
     */
    refFor(owner: SecretOwner): SecretRef
    /** Stores a new secret under `refFor(owner)`; a leftover secret of the same owner is overwritten. */
    put(owner: SecretOwner, value: Redacted.Redacted<string>): Effect.Effect<SecretRef, SecretError>
    get(ref: SecretRef): Effect.Effect<Redacted.Redacted<string>, SecretError>
    /** Replaces the value of an existing secret. */
    rotate(ref: SecretRef, value: Redacted.Redacted<string>): Effect.Effect<void, SecretError>
    /** Deletes the secret; deleting one that is already gone succeeds. */
    delete(ref: SecretRef): Effect.Effect<void, SecretError>
  }
>()("@sciple/jira-core/SecretStore") {}
