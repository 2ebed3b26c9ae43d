/**
 * `pnpm start` and `pnpm demo` stop on Ctrl-C (SIGINT) or SIGTERM: `close` runs once (the server stops taking
 * requests, then the database closes), one line says so, and the process exits 0. A terminal's Ctrl-C reaches
 * every process of the group, so a repeated signal while closing is expected and ignored.
 */
export const stopOnSignals = (close: () => Promise<void>, log: (line: string) => void = console.log): void => {
  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    close().then(
      () => {
        log(`Sciple dashboard stopped (${signal})`)
        process.exit(0)
      },
      (error: unknown) => {
        console.error(
          `sciple: stopping on ${signal} failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`
        )
        process.exit(1)
      }
    )
  }
  process.on("SIGINT", stop)
  process.on("SIGTERM", stop)
}
