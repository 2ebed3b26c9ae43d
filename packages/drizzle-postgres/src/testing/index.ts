/** Test helpers for this package and for the app's tests: fresh migrated databases on either driver. */
export { pgliteTemplate, seedPgliteDataDir, templatePath } from "./pglite-template.ts"
export {
  openTestPglite,
  openTestPostgres,
  selectRows,
  sharedTestStores,
  testDatabaseLayer,
  testDriver,
  testStoresLayer
} from "./test-database.ts"
