import { ConfigStore } from "../ports/ConfigStore.ts"
import type { ConfigStoreOp } from "./config-store.in-memory.ts"
import { Faults } from "./faults.ts"

/**
 * Any ConfigStore (the in-memory fake, the Drizzle store) behind a fault switchboard: a test can make the next
 * call of an operation fail before it runs, or run and then fail as if its commit's answer were lost.
 */
export const withConfigStoreFaults = (
  store: ConfigStore["Service"],
  faults: Faults<ConfigStoreOp> = new Faults<ConfigStoreOp>()
) => {
  const wrapped = ConfigStore.of({
    listCredentials: (...args) => faults.guard("listCredentials", store.listCredentials(...args)),
    getCredential: (...args) => faults.guard("getCredential", store.getCredential(...args)),
    createCredential: (...args) => faults.guard("createCredential", store.createCredential(...args)),
    recordPendingCredential: (...args) =>
      faults.guard("recordPendingCredential", store.recordPendingCredential(...args)),
    listPendingCredentials: (...args) => faults.guard("listPendingCredentials", store.listPendingCredentials(...args)),
    settlePendingCredential: (...args) =>
      faults.guard("settlePendingCredential", store.settlePendingCredential(...args)),
    updateCredential: (...args) => faults.guard("updateCredential", store.updateCredential(...args)),
    deleteCredential: (...args) => faults.guard("deleteCredential", store.deleteCredential(...args)),
    getConfig: (...args) => faults.guard("getConfig", store.getConfig(...args)),
    createConfig: (...args) => faults.guard("createConfig", store.createConfig(...args)),
    updateConfig: (...args) => faults.guard("updateConfig", store.updateConfig(...args)),
    deleteConfig: (...args) => faults.guard("deleteConfig", store.deleteConfig(...args)),
    recordHealth: (...args) => faults.guard("recordHealth", store.recordHealth(...args)),
    listAudit: (...args) => faults.guard("listAudit", store.listAudit(...args))
  })
  return { store: wrapped, faults }
}
