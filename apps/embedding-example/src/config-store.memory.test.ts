import { configStoreContract, credentialCreateContract } from "@sciple/jira-core/contracts"
import { newWorkspaceIds } from "@sciple/jira-core/testing"
import { MemoryConfigStore } from "./config-store.memory.js"

// This service's own store must do what core expects of every ConfigStore, and carry the two-phase create.
configStoreContract("the example's in-memory store", MemoryConfigStore, newWorkspaceIds)
credentialCreateContract("the example's in-memory store", MemoryConfigStore, newWorkspaceIds)
