import { BlockList, isIP } from "node:net"
import { Result } from "effect"

/** One CIDR (`10.0.0.0/8`, `::1/128`) or a bare address, checked as written. */
const parseCidr = (
  text: string
): { readonly address: string; readonly prefix: number; readonly type: "ipv4" | "ipv6" } | null => {
  const [address = "", prefixText, extra] = text.split("/")
  const version = isIP(address)
  if (version === 0 || extra !== undefined) return null
  const max = version === 4 ? 32 : 128
  const prefix = prefixText === undefined ? max : Number(prefixText)
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (prefixText ?? "0").trim() === "") return null
  return { address, prefix, type: version === 4 ? "ipv4" : "ipv6" }
}

/** Parses `METRICS_ALLOW`; fails with the first entry that is not a CIDR. */
export const parseAllowList = (text: string): Result.Result<ReadonlyArray<string>, string> => {
  const entries = text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
  for (const entry of entries) if (parseCidr(entry) === null) return Result.fail(entry)
  return Result.succeed(entries)
}

/** Whether an address (as a socket reports it) falls in one of the CIDRs. */
export const makeAddressAllow = (cidrs: ReadonlyArray<string>): ((address: string | undefined) => boolean) => {
  const list = new BlockList()
  for (const cidr of cidrs) {
    const parsed = parseCidr(cidr)
    if (parsed !== null) list.addSubnet(parsed.address, parsed.prefix, parsed.type)
  }
  return (address) => {
    if (address === undefined) return false
    // A dual-stack socket reports IPv4 peers as `::ffff:a.b.c.d`.
    const plain = address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address
    const version = isIP(plain)
    return version !== 0 && list.check(plain, version === 4 ? "ipv4" : "ipv6")
  }
}
