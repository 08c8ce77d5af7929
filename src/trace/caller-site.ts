/**
 * Finds the name, file and line of the function that called `trace()` without a name.
 * V8 still has to capture one stack frame per call (there is no cheaper way to identify a call
 * site in JavaScript), but formatting is skipped: the structured call site is read directly and
 * the resulting site is cached by position, so the name is derived once per call site.
 * Generated code passes names explicitly and never comes here.
 */
export interface CallerSite {
  readonly name: string;
  readonly file: string;
  readonly line: number;
}

const cache = new Map<string, CallerSite>();
const UNKNOWN: CallerSite = Object.freeze({ name: "<unknown>", file: "", line: 0 });

type StructuredSite = NodeJS.CallSite;

/** The call site of whoever called `above`. Never throws. */
export function callerSite(above: (...args: never[]) => unknown): CallerSite {
  const savedPrepare = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  try {
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.stackTraceLimit = 1;
    const holder: { stack?: StructuredSite[] } = {};
    Error.captureStackTrace(holder, above);
    const site = holder.stack?.[0];
    if (site === undefined) return UNKNOWN;
    const file = site.getFileName() ?? "";
    const line = site.getLineNumber() ?? 0;
    const key = file + ":" + line + ":" + (site.getColumnNumber() ?? 0);
    let found = cache.get(key);
    if (found === undefined) {
      found = Object.freeze({ name: qualify(site, file), file, line });
      cache.set(key, found);
    }
    return found;
  } catch {
    return UNKNOWN;
  } finally {
    Error.prepareStackTrace = savedPrepare;
    Error.stackTraceLimit = savedLimit;
  }
}

/** `module.Type.method` or `module.function`, like the codemod's names. */
function qualify(site: StructuredSite, file: string): string {
  const fn = site.getFunctionName();
  const method = site.getMethodName();
  const type = site.isToplevel() ? null : safeTypeName(site);
  const base = fn ?? method ?? "<anonymous>";
  const local = type !== null && type !== "Object" && !base.includes(".") ? `${type}.${base}` : base;
  return `${moduleName(file)}.${local}`;
}

function safeTypeName(site: StructuredSite): string | null {
  try {
    return site.getTypeName();
  } catch {
    return null;
  }
}

/** The file's base name without extension ("main" for /x/main.mjs), as Go prints package names. */
export function moduleName(file: string): string {
  const base = file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1);
  const dot = base.indexOf(".");
  return (dot > 0 ? base.slice(0, dot) : base) || "<module>";
}
