import type { SimProject } from "../types.ts"
import type { EvaluationContext } from "./context.ts"
import type { FieldKind } from "./fields.ts"
import { sprintFunction, versionFunction } from "./functions.ts"
import type { SingleOperand } from "./parser.ts"

/** JQL values to the field values they stand for: names and ids looked up in the caller's view of the data. */

const ISSUE_KEY = /^[A-Za-z][A-Za-z0-9_]*-\d+$/

const visible = (ctx: EvaluationContext, project: SimProject | undefined): project is SimProject =>
  project !== undefined && (ctx.visibleProjects === null || ctx.visibleProjects.has(project.key))

const visibleKey = (ctx: EvaluationContext, projectKey: string): boolean =>
  visible(ctx, ctx.index.projectsByKey.get(projectKey.toUpperCase()))

const resolveFunction = (
  ctx: EvaluationContext,
  errors: string[],
  kind: FieldKind,
  operand: Extract<SingleOperand, { type: "function" }>
): string[] | undefined => {
  const { index, visibleProjects } = ctx
  const lower = operand.name.toLowerCase()
  if ((kind === "assignee" || kind === "reporter") && lower === "currentuser") {
    if (operand.args.length > 0) {
      errors.push(`Function 'currentUser' expected '0' arguments but received '${operand.args.length}'.`)
      return undefined
    }
    return ctx.currentAccountId === null ? [] : [ctx.currentAccountId]
  }
  const result =
    kind === "sprint"
      ? sprintFunction(operand.name, operand.args, index, visibleProjects)
      : kind === "fixVersion"
        ? versionFunction(operand.name, operand.args, index, visibleProjects)
        : null
  if (result === null) {
    errors.push(`Unable to find JQL function '${operand.name}(${operand.args.join(", ")})'.`)
    return undefined
  }
  if (!result.ok) {
    errors.push(result.error)
    return undefined
  }
  return result.values
}

/** Resolves one operand to the field values it stands for; `null` in the result stands for EMPTY. */
export const resolveValues = (
  ctx: EvaluationContext,
  errors: string[],
  field: string,
  kind: FieldKind,
  operand: SingleOperand
): Array<string | null> | undefined => {
  if (operand.type === "empty") return [null]
  if (operand.type === "function") return resolveFunction(ctx, errors, kind, operand)
  const raw = operand.value
  const lower = raw.toLowerCase()
  const { index } = ctx
  let found: string[] = []
  switch (kind) {
    case "project": {
      const candidates = [index.projectsByKey.get(raw.toUpperCase()), index.projectsById.get(raw)]
      found = [...candidates, ...(index.projectsByName.get(lower) ?? [])]
        .filter((p) => visible(ctx, p))
        .map((p) => p.key)
      break
    }
    case "status": {
      const byId = index.statusesById.get(raw)
      found = [...(byId === undefined ? [] : [byId.id]), ...(index.statusesByName.get(lower) ?? []).map((s) => s.id)]
      break
    }
    case "statusCategory": {
      const category = index.categoriesByValue.get(lower)
      found = category === undefined ? [] : [category.key]
      break
    }
    case "assignee":
    case "reporter": {
      const byId = index.usersById.get(raw)
      const byEmail = index.usersByEmail.get(lower)
      found = [byId, byEmail, ...(index.usersByName.get(lower) ?? [])].flatMap((u) =>
        u === undefined ? [] : [u.accountId]
      )
      break
    }
    case "priority": {
      const priority = index.prioritiesById.get(raw) ?? index.prioritiesByName.get(lower)
      found = priority === undefined ? [] : [priority.id]
      break
    }
    case "issuetype": {
      const byId = index.issueTypesById.get(raw)
      found = [...(byId === undefined ? [] : [byId.id]), ...(index.issueTypesByName.get(lower) ?? []).map((t) => t.id)]
      break
    }
    case "resolution": {
      // `Unresolved` is how Jira spells an empty resolution.
      if (lower === "unresolved") return [null]
      const resolution = index.resolutionsById.get(raw) ?? index.resolutionsByName.get(lower)
      found = resolution === undefined ? [] : [resolution.id]
      break
    }
    case "labels":
      return [lower]
    case "component": {
      const byId = index.componentsById.get(raw)
      found = [byId, ...(index.componentsByName.get(lower) ?? [])]
        .filter((c) => c !== undefined && visibleKey(ctx, c.projectKey))
        .flatMap((c) => (c === undefined ? [] : [c.id]))
      break
    }
    case "fixVersion": {
      const byId = index.versionsById.get(raw)
      found = [byId, ...(index.versionsByName.get(lower) ?? [])]
        .filter((v) => v !== undefined && visibleKey(ctx, v.projectKey))
        .flatMap((v) => (v === undefined ? [] : [v.id]))
      break
    }
    case "sprint": {
      const byId = /^\d+$/.test(raw) ? index.sprintsById.get(Number(raw)) : undefined
      found = [byId, ...(index.sprintsByName.get(lower) ?? [])]
        .filter((s) => s !== undefined && visibleKey(ctx, s.projectKey))
        .flatMap((s) => (s === undefined ? [] : [String(s.id)]))
      break
    }
    case "number": {
      if (!/^-?\d+(\.\d+)?$/.test(raw)) {
        errors.push(`The value '${raw}' for field '${field}' is not a valid number.`)
        return undefined
      }
      return [String(Number(raw))]
    }
    case "key":
    case "parent": {
      if (!/^\d+$/.test(raw) && !ISSUE_KEY.test(raw)) {
        errors.push(`The issue key '${raw}' for field '${field}' is invalid.`)
        return undefined
      }
      const issue = /^\d+$/.test(raw) ? index.issuesById.get(raw) : index.issuesByKey.get(raw.toUpperCase())
      if (issue === undefined || !visibleKey(ctx, issue.projectKey)) {
        errors.push(`An issue with key '${raw}' does not exist for field '${field}'.`)
        return undefined
      }
      return [kind === "key" ? issue.id : issue.key]
    }
    default:
      return []
  }
  if (found.length === 0) {
    errors.push(`The value '${raw}' does not exist for the field '${field}'.`)
    return undefined
  }
  return [...new Set(found)]
}
