/**
 * Small conversions from a columns row to Mixer values. Nothing here throws: an error object
 * with a hostile getter or `toString` becomes `<unprintable>`.
 */
import { Timestamp } from "../mixer/attribute/index.js";

/** Longest error message put in a bag (a 10 MB message must not reach a log line). */
export const MAX_ERROR_MESSAGE = 1024;

const ORIGIN = performance.timeOrigin;

/** A performance.now() time (ms) as a wall-clock TIMESTAMP. */
export function timestampOf(ms: number): Timestamp {
  const epochMs = ORIGIN + ms;
  const seconds = Math.floor(epochMs / 1000);
  return new Timestamp(BigInt(seconds), Math.round((epochMs - seconds * 1000) * 1e6));
}

/** `TypeError` for an Error, else the JavaScript type of the thrown value. */
export function errorType(error: unknown): string {
  try {
    if (error instanceof Error) return typeof error.name === "string" && error.name !== "" ? error.name : "Error";
    return error === null ? "null" : typeof error;
  } catch {
    return "<unprintable>";
  }
}

/** The message of an Error, or the thrown value as text; at most {@link MAX_ERROR_MESSAGE} characters. */
export function errorMessage(error: unknown): string {
  let text: string;
  try {
    text = error instanceof Error ? (typeof error.message === "string" ? error.message : "") : String(error);
  } catch {
    return "<unprintable>";
  }
  return text.length <= MAX_ERROR_MESSAGE ? text : text.slice(0, MAX_ERROR_MESSAGE - 1) + "…";
}

/** The module part of a qualified name (`shop` of `shop.Cart.add`). */
export function moduleOf(name: string): string {
  const dot = name.indexOf(".");
  return dot <= 0 ? name : name.slice(0, dot);
}
