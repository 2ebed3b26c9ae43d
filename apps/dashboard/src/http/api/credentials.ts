import {
  asManager,
  createCredential,
  deleteCredential,
  listCredentials,
  rotateCredentialToken,
  SETTINGS_MANAGE
} from "@sciple/jira-core"
import { Effect, Redacted } from "effect"
import { decode } from "./decode.ts"
import { credentialDto } from "./dto.ts"
import { apiResource } from "./route.ts"
import * as S from "./schemas.ts"

/** The workspace's Jira credentials, for settings.manage; a token goes in and never comes out. */
export const CREDENTIALS = apiResource("credentials", SETTINGS_MANAGE, [
  {
    method: "get",
    path: "/api/v1/credentials",
    summary: "The workspace's credentials (never their tokens).",
    status: 200,
    response: S.CredentialList,
    handle: (r) =>
      listCredentials().pipe(
        asManager(r.principal),
        Effect.map((list) => ({ credentials: list.map(credentialDto) }))
      )
  },
  {
    method: "post",
    path: "/api/v1/credentials",
    summary: "Create a username_password credential for jira; the token goes to the secret store.",
    params: [
      {
        name: "Idempotency-Key",
        in: "header",
        description:
          "16 to 64 of A-Z a-z 0-9 _ -; it becomes the credential's id: a retry with the same key and values answers the same credential (201), with other values 422."
      }
    ],
    body: S.CredentialBody,
    status: 201,
    response: S.CredentialDto,
    handle: (r) =>
      decode(S.CredentialBody, r.body).pipe(
        Effect.flatMap((b) =>
          createCredential({
            name: b.name,
            username: b.username,
            token: Redacted.make(b.token),
            idempotencyKey: r.header("idempotency-key")
          }).pipe(asManager(r.principal))
        ),
        Effect.map(credentialDto)
      )
  },
  {
    method: "post",
    path: "/api/v1/credentials/{id}/rotate",
    summary: "Replace a credential's API token.",
    params: [{ name: "id", in: "path", description: "The credential id.", required: true }],
    body: S.RotateBody,
    status: 200,
    response: S.CredentialDto,
    handle: (r) =>
      decode(S.RotateBody, r.body).pipe(
        Effect.flatMap((b) => rotateCredentialToken(r.path("id"), Redacted.make(b.token)).pipe(asManager(r.principal))),
        Effect.map(credentialDto)
      )
  },
  {
    method: "delete",
    path: "/api/v1/credentials/{id}",
    summary: "Delete a credential and its token; refused while the Jira connection uses it.",
    params: [{ name: "id", in: "path", description: "The credential id.", required: true }],
    status: 204,
    handle: (r) => deleteCredential(r.path("id")).pipe(asManager(r.principal))
  }
])
