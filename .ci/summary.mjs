// Sums vitest JSON reports into one closing line: "tests: N passed, N failed".
import { readFileSync } from "node:fs"

let passed = 0
let failed = 0
for (const file of process.argv.slice(2)) {
  const report = JSON.parse(readFileSync(file, "utf8"))
  passed += report.numPassedTests
  failed +=
    report.numFailedTests +
    (report.numTotalTestSuites > 0 && report.success === false && report.numFailedTests === 0 ? 1 : 0)
}
console.log(`tests: ${passed} passed, ${failed} failed`)
process.exit(failed === 0 && passed > 0 ? 0 : 1)
