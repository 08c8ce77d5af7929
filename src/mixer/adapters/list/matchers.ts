import { BlockList, isIP } from "node:net";
import { parse as parseYaml } from "yaml";
import type { EntryType } from "./config.js";

/** A compiled list: answers whether a value is on it. */
export interface ListMatcher {
  /** `true`/`false` = found/not found; a string = why the value is invalid for this list. */
  contains(value: string): boolean | string;
}

/** Parses provider content: newline-separated lines, or for IP lists a YAML `whitelist: [...]`. */
export function parseListContent(type: EntryType, text: string): string[] {
  if (type !== "IP_ADDRESSES") return text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const doc = parseYaml(text) as { whitelist?: unknown } | null;
  const list = doc?.whitelist;
  if (!Array.isArray(list)) throw new Error("IP list content must be a YAML document with a 'whitelist' list");
  return list.map(String);
}

/** Problems with entries for a list type (bad CIDRs, bad regexes); empty when valid. */
export function checkEntries(type: EntryType, entries: readonly string[]): string[] {
  const errors: string[] = [];
  for (const e of entries) {
    if (type === "IP_ADDRESSES" && parseCidr(e) === undefined) errors.push(`'${e}' is not a valid IP address or CIDR range`);
    if (type === "REGEX") {
      try {
        new RegExp(e);
      } catch (err) {
        errors.push(`'${e}' is not a valid regular expression: ${(err as Error).message}`);
      }
    }
  }
  return errors;
}

/** `a.b.c.d/n` or `x::y/n`; a bare address gets /32 (IPv4) or /128 (IPv6; Mixer used /32). */
export function parseCidr(entry: string): { address: string; prefix: number; family: "ipv4" | "ipv6" } | undefined {
  const [address, prefixText, extra] = entry.trim().split("/");
  if (extra !== undefined) return undefined;
  const v = isIP(address);
  if (v === 0) return undefined;
  const max = v === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d+$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return undefined;
  return { address, prefix, family: v === 4 ? "ipv4" : "ipv6" };
}

/** Builds the matcher for a list type from entries (invalid entries are skipped). */
export function createMatcher(type: EntryType, entries: readonly string[]): ListMatcher {
  switch (type) {
    case "IP_ADDRESSES":
      return ipMatcher(entries);
    case "REGEX":
      return regexMatcher(entries);
    case "CASE_INSENSITIVE_STRINGS": {
      const set = new Set(entries.map((e) => e.toUpperCase()));
      return { contains: (v) => set.has(v.toUpperCase()) };
    }
    default: {
      const set = new Set(entries);
      return { contains: (v) => set.has(v) };
    }
  }
}

function ipMatcher(entries: readonly string[]): ListMatcher {
  const blocks = new BlockList();
  for (const e of entries) {
    const c = parseCidr(e);
    if (c) blocks.addSubnet(c.address, c.prefix, c.family);
  }
  return {
    contains: (v) => {
      const fam = isIP(v);
      if (fam === 0) return `${v} is not a valid IP address`;
      return blocks.check(v, fam === 4 ? "ipv4" : "ipv6");
    },
  };
}

function regexMatcher(entries: readonly string[]): ListMatcher {
  // JS RegExp, unanchored like RE2 `MatchString`; RE2-only syntax is rejected at validation.
  const res: RegExp[] = [];
  for (const e of entries) {
    try {
      res.push(new RegExp(e));
    } catch {
      // validated earlier; provider content with a bad regex is skipped
    }
  }
  return { contains: (v) => res.some((r) => r.test(v)) };
}
