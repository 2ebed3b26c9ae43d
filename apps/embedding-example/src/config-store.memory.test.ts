import { configStoreContract } from "@sciple/jira-core/contracts"
import { newWorkspaceIds } from "@sciple/jira-core/testing"
import { MemoryConfigStore } from "./config-store.memory.js"

// This service's own store must do what core expects of every ConfigStore.
configStoreContract("the example's in-memory store", MemoryConfigStore, newWorkspaceIds)
