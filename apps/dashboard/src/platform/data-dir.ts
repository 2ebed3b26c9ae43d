import * as fs from "node:fs/promises"
import * as path from "node:path"

/**
 * The data folder holds the embedded database and the encrypted secrets: owner-only, folders 0700 and files
 * 0600. Creates the folder if needed and tightens what an older version (or a default umask) left looser;
 * answers how many entries it changed, for the start-up log. Symbolic links are left alone.
 */
export const secureDataDir = async (dir: string): Promise<number> => {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 })
  let changed = 0
  const visit = async (entry: string) => {
    const stat = await fs.lstat(entry)
    if (stat.isSymbolicLink()) return
    if ((stat.mode & 0o077) !== 0) {
      await fs.chmod(entry, stat.isDirectory() ? 0o700 : 0o600)
      changed += 1
    }
    if (stat.isDirectory()) for (const name of await fs.readdir(entry)) await visit(path.join(entry, name))
  }
  await visit(dir)
  return changed
}
