import type { DataIndex } from "../data-index.ts"

/** Sprint and version functions: `openSprints()`, `closedSprints()`, `futureSprints()`, `releasedVersions()`, ... */

const SPRINT_FUNCTIONS: Readonly<Record<string, "active" | "closed" | "future">> = {
  opensprints: "active",
  closedsprints: "closed",
  futuresprints: "future"
}

const VERSION_FUNCTIONS: Readonly<Record<string, boolean>> = {
  releasedversions: true,
  unreleasedversions: false
}

export type FunctionResult = { ok: true; values: string[] } | { ok: false; error: string }

const arity = (name: string, args: ReadonlyArray<string>, max: number): string | null =>
  args.length > max
    ? `Function '${name}' expected between '0' and '${max}' arguments but received '${args.length}'.`
    : null

/** The sprint ids a sprint function stands for, within the projects the caller sees. */
export const sprintFunction = (
  name: string,
  args: ReadonlyArray<string>,
  index: DataIndex,
  visible: ReadonlySet<string> | null
): FunctionResult | null => {
  const state = SPRINT_FUNCTIONS[name.toLowerCase()]
  if (state === undefined) return null
  const error = arity(name, args, 0)
  if (error !== null) return { ok: false, error }
  const values = [...index.sprintsById.values()]
    .filter((s) => s.state === state && (visible === null || visible.has(s.projectKey)))
    .map((s) => String(s.id))
  return { ok: true, values }
}

/** The version ids a version function stands for; an optional argument names the project. */
export const versionFunction = (
  name: string,
  args: ReadonlyArray<string>,
  index: DataIndex,
  visible: ReadonlySet<string> | null
): FunctionResult | null => {
  const released = VERSION_FUNCTIONS[name.toLowerCase()]
  if (released === undefined) return null
  const error = arity(name, args, 1)
  if (error !== null) return { ok: false, error }
  const project = args[0]?.toUpperCase()
  const values = [...index.versionsById.values()]
    .filter(
      (v) =>
        v.released === released &&
        (visible === null || visible.has(v.projectKey)) &&
        (project === undefined || v.projectKey === project)
    )
    .map((v) => v.id)
  return { ok: true, values }
}
