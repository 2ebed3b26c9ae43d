import { type IssuePage, JiraIssue, JiraProject, type ProjectPage } from "@sciple/jira-core"
import { type Effect, Schema } from "effect"

/** How one operation's answer goes to JSON for the shared tier and back, checked on the way back. */
export interface AnswerCodec<A> {
  readonly encode: (value: A) => unknown
  /** Fails when the stored JSON is not this answer (written by another version, say): a miss, not an error. */
  readonly decode: (json: unknown) => Effect.Effect<A, Schema.SchemaError>
}

const codecOf = <S extends Schema.Codec<unknown, unknown>>(schema: S): AnswerCodec<S["Type"]> => {
  const json = Schema.toCodecJson(schema)
  const encode = Schema.encodeSync(json)
  const decode = Schema.decodeUnknownEffect(json)
  return { encode: (value) => encode(value), decode: (input) => decode(input) }
}

const IssuePageSchema = Schema.Struct({
  issues: Schema.Array(JiraIssue),
  nextPageToken: Schema.NullOr(Schema.String),
  restarted: Schema.optionalKey(Schema.Boolean)
})

const ProjectPageSchema = Schema.Struct({
  projects: Schema.Array(JiraProject),
  startAt: Schema.Number,
  total: Schema.Number,
  isLast: Schema.Boolean
})

export const issuePageCodec: AnswerCodec<IssuePage> = codecOf(IssuePageSchema)
export const countCodec: AnswerCodec<number> = codecOf(Schema.Number)
export const projectPageCodec: AnswerCodec<ProjectPage> = codecOf(ProjectPageSchema)
