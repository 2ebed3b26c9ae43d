import { BlockList, isIP } from "node:net"

/**
 * Who is asking (adr/0022): the socket's address, unless the socket is a trusted proxy; then the right-most
 * address of X-Forwarded-For that is not itself a trusted proxy. Whatever a client writes into the header
 * sits to the left of what its first proxy appended, so it cannot choose its own address.
 */
export interface TrustedProxies {
  readonly entries: ReadonlyArray<string>
  readonly has: (address: string) => boolean
}

/** `::ffff:192.0.2.1` is how a dual-stack socket reports an IPv4 client. */
const plain = (address: string): string => {
  const trimmed = address.trim().replace(/^\[(.*)\]$/, "$1")
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed)
  return mapped?.[1] ?? trimmed
}

const family = (address: string): "ipv4" | "ipv6" | null => {
  const version = isIP(address)
  return version === 4 ? "ipv4" : version === 6 ? "ipv6" : null
}

/** Parses `TRUSTED_PROXIES` (comma-separated IPs and CIDRs); each bad entry is named in the problems. */
export const parseTrustedProxies = (
  raw: string | undefined
): { readonly proxies: TrustedProxies; readonly problems: ReadonlyArray<string> } => {
  const list = new BlockList()
  const entries: Array<string> = []
  const problems: Array<string> = []
  for (const entry of (raw ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e.length > 0)) {
    const [address = "", prefix, extra] = entry.split("/")
    const ip = plain(address)
    const kind = family(ip)
    const bits = prefix === undefined ? null : Number(prefix)
    const max = kind === "ipv4" ? 32 : 128
    if (
      kind === null ||
      extra !== undefined ||
      (bits !== null && (!Number.isInteger(bits) || bits < 0 || bits > max))
    ) {
      problems.push(`TRUSTED_PROXIES: "${entry.slice(0, 60)}" is not an IP address or CIDR range.`)
      continue
    }
    if (bits === null) list.addAddress(ip, kind)
    else list.addSubnet(ip, bits, kind)
    entries.push(entry)
  }
  return {
    proxies: {
      entries,
      has: (address) => {
        const ip = plain(address)
        const kind = family(ip)
        return kind !== null && entries.length > 0 && list.check(ip, kind)
      }
    },
    problems
  }
}

export const NO_TRUSTED_PROXIES: TrustedProxies = parseTrustedProxies(undefined).proxies

/** The client's address for throttling and logs. */
export const clientAddress = (
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  proxies: TrustedProxies
): string => {
  const socket = socketAddress === undefined ? "unknown" : plain(socketAddress)
  if (forwardedFor === undefined || !proxies.has(socket)) return socket
  const hops = forwardedFor
    .split(",")
    .map(plain)
    .filter((hop) => hop.length > 0)
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] ?? ""
    // A hop that is not an address was written by the client, not a proxy: stop trusting there.
    if (family(hop) === null) return socket
    if (!proxies.has(hop)) return hop
  }
  return hops[0] ?? socket
}

/** Whether the request came over https: the URL's scheme, or X-Forwarded-Proto when a trusted proxy sent it. */
export const forwardedHttps = (
  socketAddress: string | undefined,
  forwardedProto: string | undefined,
  proxies: TrustedProxies
): boolean =>
  socketAddress !== undefined &&
  proxies.has(socketAddress) &&
  forwardedProto?.split(",").pop()?.trim().toLowerCase() === "https"
