/**
 * Test helpers for this package and for the app's tests: fresh migrated databases on either driver.
 * @internal not used by production code: for tests and test support
 */
export { seedPgliteDataDir } from "./pglite-template.ts"
/** @internal not used by production code: for tests and test support */
export {
  openTestPostgres,
  selectRows,
  sharedTestStores,
  testDatabaseLayer,
  testDriver,
  testStoresLayer
} from "./test-database.ts"
