import type { FieldError } from "../../adapter/types.js";
import { readBool, readDuration, readEnum, readFields, readInt, readString, readStringList } from "../../adapter/params.js";
import { checkEntries } from "./matchers.js";

/** How list entries are compared. */
export type EntryType = "STRINGS" | "CASE_INSENSITIVE_STRINGS" | "IP_ADDRESSES" | "REGEX";
const ENTRY_TYPES: readonly EntryType[] = ["STRINGS", "CASE_INSENSITIVE_STRINGS", "IP_ADDRESSES", "REGEX"];

/** Parsed list params (Mixer listchecker config.proto); durations in ms. */
export interface ListConfig {
  readonly providerUrl: string;
  readonly refreshIntervalMs: number;
  readonly ttlMs: number;
  readonly cachingIntervalMs: number;
  readonly cachingUseCount: number;
  readonly overrides: readonly string[];
  readonly entryType: EntryType;
  readonly blacklist: boolean;
}

/** Mixer's defaults. */
export const LIST_DEFAULTS = Object.freeze({
  refresh_interval: "60s",
  ttl: "300s",
  caching_interval: "300s",
  caching_use_count: 10000,
  entry_type: "STRINGS",
  blacklist: false,
});

const FIELDS = ["provider_url", "refresh_interval", "ttl", "caching_interval", "caching_use_count", "overrides", "entry_type", "blacklist"];

/** Parses and validates list params. */
export function parseListConfig(raw: unknown, errors: FieldError[]): ListConfig {
  const p = readFields(raw, "", FIELDS, errors);
  const cfg: ListConfig = {
    providerUrl: readString(p.provider_url, "provider_url", errors) ?? "",
    refreshIntervalMs: readDuration(p.refresh_interval, "refresh_interval", errors) ?? 60_000,
    ttlMs: readDuration(p.ttl, "ttl", errors) ?? 300_000,
    cachingIntervalMs: readDuration(p.caching_interval, "caching_interval", errors) ?? 300_000,
    cachingUseCount: readInt(p.caching_use_count, "caching_use_count", errors) ?? 10000,
    overrides: readStringList(p.overrides, "overrides", errors) ?? [],
    entryType: readEnum(p.entry_type, ENTRY_TYPES, "entry_type", errors) ?? "STRINGS",
    blacklist: readBool(p.blacklist, "blacklist", errors) ?? false,
  };
  if (cfg.cachingUseCount < 0) errors.push({ field: "caching_use_count", message: "must be >= 0" });
  if (cfg.cachingIntervalMs < 0) errors.push({ field: "caching_interval", message: "must be >= 0" });
  if (cfg.providerUrl !== "") validateProvider(cfg, errors);
  for (const e of checkEntries(cfg.entryType, cfg.overrides)) errors.push({ field: "overrides", message: e });
  return cfg;
}

function validateProvider(cfg: ListConfig, errors: FieldError[]): void {
  let ok = false;
  try {
    const u = new URL(cfg.providerUrl);
    ok = u.protocol !== "" && u.host !== "";
  } catch {
    ok = false;
  }
  if (!ok) errors.push({ field: "provider_url", message: `'${cfg.providerUrl}' must be an absolute URL with a scheme and host` });
  if (cfg.refreshIntervalMs < 1000) errors.push({ field: "refresh_interval", message: "must be at least 1s" });
  if (cfg.ttlMs < cfg.refreshIntervalMs) errors.push({ field: "ttl", message: "must be >= refresh_interval" });
}
