import { type Input, tagsFrom } from "../protocol.ts"
import type { SecretsState } from "../state.ts"

export const tagResource = (state: SecretsState, input: Input) => {
  const secret = state.live(input)
  for (const [key, value] of tagsFrom(input)) secret.tags.set(key, value)
  return {}
}
