import { Result } from "effect"
import { stopOnSignals } from "./platform/shutdown.ts"
import { StartupError, start } from "./server.ts"
import { readSettings } from "./settings.ts"

/** `pnpm start`: the dashboard on its settings (embedded PGlite and the local secret store by default). */
const settings = readSettings(process.env)
if (Result.isFailure(settings)) {
  for (const problem of settings.failure) console.error(`configuration: ${problem}`)
  process.exit(1)
}

try {
  const running = await start(settings.success)
  // Before the line that says it serves: whoever reads that line may stop it at once.
  stopOnSignals(running.close)
  console.log(`Sciple dashboard on ${running.url}`)
} catch (error) {
  console.error(
    `sciple: ${error instanceof StartupError ? error.message : error instanceof Error ? error.message.split("\n")[0] : String(error)}`
  )
  process.exit(1)
}
