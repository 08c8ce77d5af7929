/**
 * Plain-object shapes of the Mixer wire messages (istio/api mixer/v1/attributes.proto,
 * mixer.proto) and the word dictionary shared by encoder and decoder (§2.1–2.3).
 * Field names are the proto3 JSON (lowerCamelCase) names; map keys are dictionary
 * indexes (sint32).
 */
import { capMessage, describeInput } from "./echo.js";
import { GLOBAL_DICTIONARY, GLOBAL_WORD_INDEX } from "./global-dictionary.js";

/** protobuf Timestamp / Duration shape. */
export interface WireTime {
  seconds: bigint | number | string;
  nanos?: number;
}

/** `StringMap{entries: map<sint32, sint32>}` (keys and values are word indexes). */
export interface WireStringMap {
  entries: Record<number, number>;
}

/** `CompressedAttributes` (§2.1). */
export interface CompressedAttributes {
  words?: string[];
  strings?: Record<number, number>;
  int64s?: Record<number, bigint | number | string>;
  doubles?: Record<number, number>;
  bools?: Record<number, boolean>;
  timestamps?: Record<number, WireTime>;
  durations?: Record<number, WireTime>;
  bytes?: Record<number, Uint8Array>;
  stringMaps?: Record<number, WireStringMap>;
}

/** `ReportRequest.RepeatedAttributesSemantics`. */
export enum RepeatedAttributesSemantics {
  DELTA_ENCODING = 0,
  INDEPENDENT_ENCODING = 1,
}

/** `ReportRequest` (§2.3). */
export interface ReportRequest {
  attributes: CompressedAttributes[];
  repeatedAttributesSemantics?: RepeatedAttributesSemantics;
  defaultWords?: string[];
  globalWordCount?: number;
}

/** Malformed wire input or a bag that cannot be encoded. Never a crash. */
export class WireFormatError extends Error {
  constructor(message: string) {
    super(capMessage(message));
    this.name = "WireFormatError";
  }
}

/**
 * Most words plus map entries one decode call accepts (a Report request counts all its
 * sets and `default_words` together). Decoding is linear in this count, so the bound
 * bounds time and memory; override with the `maxElements` decode option.
 */
export const MAX_WIRE_ELEMENTS = 1_000_000;

/** A message over the size limit ({@link MAX_WIRE_ELEMENTS}): refused before decoding. */
export class WireLimitError extends WireFormatError {
  readonly limit: number;
  constructor(what: string, limit: number) {
    super(`${what} too large: more than ${limit} words and map entries (limit maxElements = ${limit})`);
    this.name = "WireLimitError";
    this.limit = limit;
  }
}

/** Rejects a caller whose global dictionary is longer than ours. */
export function checkGlobalWordCount(count: number | undefined): number {
  const known = GLOBAL_DICTIONARY.length;
  if (count === undefined || count === 0) return known;
  if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 0) {
    throw new WireFormatError(`invalid global_word_count ${describeInput(count)}`);
  }
  if (count > known) {
    throw new WireFormatError(
      `inconsistent global dictionary versions used: mixer knows ${known} words, caller knows ${count}`,
    );
  }
  return count;
}

/** Encoder side: global words below the agreed count, else message words (negative). */
export class WordEncoder {
  readonly words: string[] = [];
  private readonly _local = new Map<string, number>();
  private readonly _globalCount: number;

  constructor(globalWordCount = GLOBAL_DICTIONARY.length) {
    this._globalCount = globalWordCount;
  }

  index(word: string): number {
    const g = GLOBAL_WORD_INDEX.get(word);
    if (g !== undefined && g < this._globalCount) return g;
    let l = this._local.get(word);
    if (l === undefined) {
      this.words.push(word);
      l = -this.words.length;
      this._local.set(word, l);
    }
    return l;
  }
}

/** Decoder side: resolves an index against the global and message dictionaries. */
export function lookupWord(index: number, words: readonly string[], what: string): string {
  const w = !Number.isInteger(index) ? undefined : index >= 0 ? GLOBAL_DICTIONARY[index] : words[-index - 1];
  if (w === undefined) {
    throw new WireFormatError(`${what} index ${index} is not defined in the available dictionaries`);
  }
  return w;
}
