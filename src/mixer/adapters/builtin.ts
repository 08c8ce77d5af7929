import type { AdapterInfo } from "../adapter/types.js";
import { noopAdapter } from "./noop/info.js";
import { stdioAdapter } from "./stdio/info.js";
import { listAdapter } from "./list/info.js";
import { denierAdapter } from "./denier/info.js";
import { memquotaAdapter } from "./memquota/info.js";
import { prometheusAdapter } from "./prometheus/info.js";
import { statsdAdapter } from "./statsd/info.js";
import { circonusAdapter } from "./circonus/info.js";

/** `list` is accepted as a short alias of Mixer's `listchecker`. */
const listAlias: AdapterInfo = { ...listAdapter, name: "list" };

/** Adapters that need no external system; pass more (prometheus, statsd, ...) next to these. */
export const BUILTIN_ADAPTERS: readonly AdapterInfo[] = Object.freeze([
  noopAdapter,
  stdioAdapter,
  listAdapter,
  listAlias,
  denierAdapter,
  memquotaAdapter,
  prometheusAdapter,
  statsdAdapter,
  circonusAdapter,
]);
