import { join } from "node:path"
import { type DataFile, decryptSecrets, filesUnder } from "./data-dir.ts"
import { type DatabaseLocation, type DumpedTable, dumpDatabaseAt } from "./database-dump.ts"
import type { LeakScanner } from "./sentinel.ts"

/** What a run left behind, read once the app has stopped. */
export interface AfterRun {
  readonly tables: ReadonlyArray<DumpedTable>
  /** Every file of the data folder: the embedded database's own files too, so a deleted row still counts. */
  readonly files: ReadonlyArray<DataFile>
  /** The local secret store's values, decrypted with its key. */
  readonly secrets: ReadonlyArray<string>
}

export const collectAfterRun = async (run: {
  readonly dataDir: string
  readonly database: DatabaseLocation
}): Promise<AfterRun> => ({
  files: filesUnder(run.dataDir),
  tables: await dumpDatabaseAt(run.database),
  secrets: await decryptSecrets(join(run.dataDir, "secrets"))
})

/** The audit table's rows, with their payloads (`changes`). */
export const auditRows = (after: AfterRun) => after.tables.find((t) => t.name === "public.audit_events")?.rows ?? []

/** Scans the channels that outlive a request: log lines, data files, and every row of every table. */
export const scanAfterRun = (scanner: LeakScanner, logLines: ReadonlyArray<string>, after: AfterRun) => {
  logLines.forEach((line, i) => {
    scanner.scan("log", `line ${i + 1}`, line)
  })
  for (const file of after.files) scanner.scan("file", file.path, file.content)
  for (const table of after.tables) {
    table.rows.forEach((row, i) => {
      scanner.scan("row", `${table.name} row ${i + 1}`, row)
    })
  }
  // The audit payloads once more as a channel of their own, so a finding there is named as one.
  for (const row of auditRows(after)) scanner.scan("audit", `${String(row.action)} ${String(row.id)}`, row)
}

/** Scans each header as `name: value` on its own, so a finding names the header. */
export const scanHeaders = (scanner: LeakScanner, where: string, headers: Iterable<readonly [string, string]>) => {
  for (const [name, value] of headers) scanner.scan("header", `${where} ${name}`, `${name}: ${value}`)
}

/** The channels a scanner found something in, e.g. `["header", "log", "row"]`. */
export const channelsOf = (scanner: LeakScanner) =>
  [...new Set(scanner.findings.map((f) => f.where.slice(0, f.where.indexOf(":"))))].sort()
