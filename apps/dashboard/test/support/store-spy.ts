import { Effect } from "effect"

/**
 * For the caching tests: wraps every method of a store to count its calls and, on demand, to fail the next
 * call of one with a given error, so a test sees when a decorator asked the store and when it did not.
 */
export const spyOn = <S extends object>(service: S) => {
  const calls = new Map<string, number>()
  const failures = new Map<string, unknown>()
  const spied = new Proxy(service, {
    get(target, name, receiver) {
      const member: unknown = Reflect.get(target, name, receiver)
      if (typeof name !== "string" || typeof member !== "function") return member
      return (...args: ReadonlyArray<unknown>) => {
        calls.set(name, (calls.get(name) ?? 0) + 1)
        const failure = failures.get(name)
        if (failure === undefined) return Reflect.apply(member, target, args)
        failures.delete(name)
        return Effect.fail(failure)
      }
    }
  })
  return {
    service: spied,
    count: (name: keyof S & string) => calls.get(name) ?? 0,
    failNext: (name: keyof S & string, error: unknown) => {
      failures.set(name, error)
    }
  }
}
