/**
 * A small, strict validator for the OpenAPI 3.0 schema subset Atlassian's Jira document uses: type,
 * properties, required, items, $ref, allOf, anyOf, nullable, enum, additionalProperties, string lengths.
 * Formats, readOnly and xml are ignored. Spec mistakes are corrected through explicit `overrides`.
 */

export type SchemaObject = { readonly [key: string]: unknown }

export interface Overrides {
  /** `Schema.property` pairs whose enum is treated as an open string. */
  readonly openEnums?: ReadonlyArray<string>
  /** `Schema.property` pairs that may also be null. */
  readonly nullable?: ReadonlyArray<string>
  /** `Schema.property` pairs with extra allowed enum values. */
  readonly extraEnumValues?: Readonly<Record<string, ReadonlyArray<string>>>
}

export interface Validator {
  /** Every problem found, as `path: message`; empty when the value conforms. */
  validate(value: unknown, schema: SchemaObject): string[]
  /** A reference to a component schema, so overrides keyed by its name apply. */
  schema(name: string): SchemaObject
}

const REF_PREFIX = "#/components/schemas/"

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const typeOf = (value: unknown): string => {
  if (value === null) return "null"
  if (Array.isArray(value)) return "array"
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number"
  return typeof value
}

const asSchema = (value: unknown): SchemaObject | undefined => (isObject(value) ? value : undefined)

export const createValidator = (schemas: Readonly<Record<string, unknown>>, overrides: Overrides = {}): Validator => {
  const openEnums = new Set(overrides.openEnums ?? [])
  const nullable = new Set(overrides.nullable ?? [])
  const extraEnum = overrides.extraEnumValues ?? {}

  const resolve = (ref: string): { name: string; schema: SchemaObject } => {
    if (!ref.startsWith(REF_PREFIX)) throw new Error(`unsupported $ref ${ref}`)
    const name = ref.slice(REF_PREFIX.length)
    const schema = asSchema(schemas[name])
    if (schema === undefined) throw new Error(`unknown schema ${name}`)
    return { name, schema }
  }

  /** `owner` names the component whose property this schema is, for overrides. */
  const check = (value: unknown, schema: SchemaObject, path: string, owner: string | null, errors: string[]): void => {
    if (typeof schema.$ref === "string") {
      const target = resolve(schema.$ref)
      check(value, target.schema, path, target.name, errors)
      return
    }
    const unconstrained =
      schema.type === undefined && schema.allOf === undefined && schema.anyOf === undefined && schema.enum === undefined
    const allowNull = unconstrained || schema.nullable === true || (owner !== null && nullable.has(owner))
    if (value === null) {
      if (!allowNull) errors.push(`${path}: null is not allowed`)
      return
    }
    if (Array.isArray(schema.allOf)) {
      for (const part of schema.allOf) {
        const sub = asSchema(part)
        if (sub !== undefined) check(value, sub, path, owner, errors)
      }
    }
    const branches = Array.isArray(schema.anyOf) ? schema.anyOf.map(asSchema).filter((s) => s !== undefined) : []
    if (branches.length > 0) {
      const results = branches.map((branch) => {
        const branchErrors: string[] = []
        check(value, branch, path, owner, branchErrors)
        return branchErrors
      })
      if (results.every((r) => r.length > 0)) {
        errors.push(`${path}: matches none of anyOf (${results.map((r) => r[0]).join(" | ")})`)
      }
    }
    const type = schema.type
    if (typeof type === "string") {
      const actual = typeOf(value)
      const ok = actual === type || (type === "number" && actual === "integer")
      if (!ok) {
        errors.push(`${path}: expected ${type}, got ${actual}`)
        return
      }
    }
    if (Array.isArray(schema.enum) && !(owner !== null && openEnums.has(owner))) {
      const allowed = [...schema.enum, ...(owner === null ? [] : (extraEnum[owner] ?? []))]
      if (!allowed.includes(value))
        errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(allowed)}`)
    }
    if (typeof value === "string") {
      if (typeof schema.minLength === "number" && value.length < schema.minLength)
        errors.push(`${path}: shorter than ${schema.minLength}`)
      if (typeof schema.maxLength === "number" && value.length > schema.maxLength)
        errors.push(`${path}: longer than ${schema.maxLength}`)
    }
    if (Array.isArray(value)) {
      const items = asSchema(schema.items)
      if (items !== undefined) {
        value.forEach((item, i) => {
          check(item, items, `${path}[${i}]`, null, errors)
        })
      }
      return
    }
    if (!isObject(value)) return
    const properties = asSchema(schema.properties) ?? {}
    const component = typeof owner === "string" && !owner.includes(".") ? owner : null
    for (const key of Array.isArray(schema.required) ? schema.required : []) {
      if (typeof key === "string" && !(key in value)) errors.push(`${path}: missing required property ${key}`)
    }
    for (const [key, child] of Object.entries(value)) {
      const propertySchema = asSchema(properties[key])
      const childPath = `${path}.${key}`
      if (propertySchema !== undefined) {
        check(child, propertySchema, childPath, component === null ? null : `${component}.${key}`, errors)
        continue
      }
      const additional = schema.additionalProperties
      // With anyOf/allOf beside it, `additionalProperties: false` and no `properties` would forbid every
      // property (JqlQueryClause): the branches describe the object, so the check is left to them.
      if (
        additional === false &&
        schema.properties === undefined &&
        (schema.anyOf !== undefined || schema.allOf !== undefined)
      )
        continue
      if (additional === false) errors.push(`${childPath}: property not allowed`)
      else {
        const additionalSchema = asSchema(additional)
        if (additionalSchema !== undefined) check(child, additionalSchema, childPath, null, errors)
      }
    }
  }

  return {
    validate(value, schema) {
      const errors: string[] = []
      check(value, schema, "$", null, errors)
      return errors
    },
    schema(name) {
      resolve(`${REF_PREFIX}${name}`)
      return { $ref: `${REF_PREFIX}${name}` }
    }
  }
}
