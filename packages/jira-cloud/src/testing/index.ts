export { type BehaviourCredential, type BehaviourTarget, jiraBehaviourSuite } from "./behaviour-suite.ts"
export * from "./documented/index.ts"
