/** @public the suite and the shapes of what it is given */
export { type BehaviourCredential, type BehaviourTarget, jiraBehaviourSuite } from "./behaviour-suite.ts"
export * from "./documented/index.ts"
