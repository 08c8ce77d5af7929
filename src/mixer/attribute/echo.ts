/**
 * The one place that decides how much of a caller's input an error message repeats.
 * A 10 MB scalar in a config or on the wire must not become a 10 MB log line, so every
 * message that echoes input (expressions, names, values, keys) goes through `echo`.
 */

/** Longest input fragment an error message repeats verbatim (characters). */
export const MAX_ECHO_LENGTH = 200;

/** Longest error message as a whole (a safety net behind `echo`; characters). */
export const MAX_MESSAGE_LENGTH = 4096;

/**
 * `text` when it is short; otherwise its first `max` characters followed by
 * `…(+N more characters)`. Never splits a surrogate pair.
 */
export function echo(text: string, max = MAX_ECHO_LENGTH): string {
  if (text.length <= max) return text;
  let cut = max;
  const c = text.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--;
  return `${text.slice(0, cut)}…(+${text.length - cut} more characters)`;
}

/** Caps a whole message (used by error constructors, after the fragments were echoed). */
export function capMessage(message: string): string {
  return echo(message, MAX_MESSAGE_LENGTH);
}

/**
 * A short, never-throwing description of any JS value for messages: objects without a
 * prototype, revoked proxies and throwing `toString`s included.
 */
export function describeInput(v: unknown): string {
  try {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    if (typeof v === "string") return `'${echo(v)}'`;
    if (typeof v === "bigint" || typeof v === "number" || typeof v === "boolean") return String(v);
    if (typeof v !== "object") return typeof v;
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto === null) return "object without prototype";
    const ctor = (proto as { constructor?: unknown }).constructor;
    return typeof ctor === "function" && typeof ctor.name === "string" && ctor.name !== "" ? ctor.name : "object";
  } catch {
    return "unreadable value";
  }
}
