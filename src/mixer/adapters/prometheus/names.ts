/**
 * Mixer's Prometheus name sanitising (`safeName` in mixer/adapter/prometheus): strip one leading
 * `/`, replace `/`, `.` and space with `_`, delete `-`. Used for namespaces, metric names and
 * label names alike.
 */
export function safeName(n: string): string {
  const s = n.startsWith("/") ? n.slice(1) : n;
  let out = "";
  for (const c of s) {
    if (c === "/" || c === "." || c === " ") out += "_";
    else if (c !== "-") out += c;
  }
  return out;
}

/** Mixer's default metric namespace: exported names are `istio_<name>` unless `namespace` is set. */
export const DEFAULT_NAMESPACE = "istio";

/** Exported metric name: `<sanitised namespace or istio>_<sanitised name or instance_name>`. */
export function exportedName(namespace: string, name: string, instanceName: string): string {
  const ns = namespace === "" ? DEFAULT_NAMESPACE : safeName(namespace);
  return `${ns}_${safeName(name === "" ? instanceName : name)}`;
}

const METRIC_NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Why `name` is not a valid Prometheus metric name (after sanitising), or `undefined`. */
export function metricNameProblem(name: string): string | undefined {
  if (METRIC_NAME_RE.test(name)) return undefined;
  return `'${name}' is not a valid Prometheus metric name (must match ${METRIC_NAME_RE.source} after sanitising)`;
}

/** Why `name` is not a valid Prometheus label name, or `undefined`. `le` is reserved for histograms. */
export function labelNameProblem(name: string, histogram: boolean): string | undefined {
  if (!LABEL_NAME_RE.test(name)) return `'${name}' is not a valid Prometheus label name (must match ${LABEL_NAME_RE.source} after sanitising)`;
  if (name.startsWith("__")) return `'${name}': label names starting with __ are reserved by Prometheus`;
  if (histogram && name === "le") return "'le' is reserved for histogram buckets";
  return undefined;
}
