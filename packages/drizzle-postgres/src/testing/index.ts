/** Test helpers for this package and for the app's tests: fresh migrated databases on either driver. */
export { seedPgliteDataDir } from "./pglite-template.ts"
export {
  openTestPostgres,
  selectRows,
  sharedTestStores,
  testDatabaseLayer,
  testDriver,
  testStoresLayer
} from "./test-database.ts"
