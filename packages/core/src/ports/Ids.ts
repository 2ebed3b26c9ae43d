import { Context, type Effect } from "effect"

/** Where new ids come from, so tests can make them predictable. */
export class Ids extends Context.Service<Ids, { readonly next: Effect.Effect<string> }>()("@sciple/jira-core/Ids") {}
