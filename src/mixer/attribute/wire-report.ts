/**
 * Report-level encoding (§2.3): several attribute sets in one request, either
 * delta-encoded (each set only carries what changed since the previous one) or
 * independent, sharing one `default_words` dictionary.
 */
import { MutableBag, type Bag } from "./bag.js";
import { describeInput } from "./echo.js";
import { valuesEqual } from "./values.js";
import { asWireError, decodeBudget, decodeWith, encodeInto, spend, type DecodeBudget, type WireOptions } from "./wire-codec.js";
import { DeltaHistory } from "./wire-delta.js";
import {
  checkGlobalWordCount,
  MAX_WIRE_ELEMENTS,
  RepeatedAttributesSemantics,
  WireFormatError,
  WireLimitError,
  WordEncoder,
  type CompressedAttributes,
  type ReportRequest,
} from "./wire-types.js";

/** Options for {@link encodeReport}. */
export interface ReportEncodeOptions extends WireOptions {
  /** Default DELTA_ENCODING (what proxies send). */
  semantics?: RepeatedAttributesSemantics;
}

/**
 * Encodes bags into a ReportRequest. With delta encoding a later bag may not drop an
 * attribute an earlier one had (deletion is not expressible): that is a WireFormatError.
 */
export function encodeReport(bags: readonly Bag[], opts: ReportEncodeOptions = {}): ReportRequest {
  const semantics = opts.semantics ?? RepeatedAttributesSemantics.DELTA_ENCODING;
  const globalWordCount = checkGlobalWordCount(opts.globalWordCount);
  const enc = new WordEncoder(globalWordCount);
  const attributes: CompressedAttributes[] = [];
  let prev: Bag | undefined;
  bags.forEach((bag, i) => {
    const names = [...bag.names()].sort();
    let changed = names;
    if (prev && semantics === RepeatedAttributesSemantics.DELTA_ENCODING) {
      const before = prev;
      const dropped = before.names().find((n) => !bag.has(n));
      if (dropped !== undefined) {
        throw new WireFormatError(
          `cannot delta-encode attribute set ${i}: attribute '${dropped}' was removed (use INDEPENDENT_ENCODING)`,
        );
      }
      changed = names.filter((n) => !valuesEqual(before.get(n), bag.get(n)));
    }
    const out: CompressedAttributes = {};
    encodeInto(bag, changed, enc, out);
    attributes.push(out);
    prev = bag;
  });
  const req: ReportRequest = { attributes, repeatedAttributesSemantics: semantics, globalWordCount };
  if (enc.words.length > 0) req.defaultWords = enc.words;
  return req;
}

/** Result of {@link decodeReport}: the valid states in order, and one error per bad set. */
export interface DecodedReport {
  /**
   * One bag per valid set. With delta encoding each is a fresh MutableBag over a read-only
   * view of the accumulated state (shared history: memory linear in the request).
   */
  bags: MutableBag[];
  /** Index (in `attributes`) of each entry of `bags`. */
  setIndexes: number[];
  errors: WireFormatError[];
}

/** Options for {@link decodeReport}. */
export interface ReportDecodeOptions {
  /** Most words plus map entries in the whole request (default {@link MAX_WIRE_ELEMENTS}). */
  maxElements?: number;
}

/**
 * Decodes a ReportRequest eagerly. A malformed set is rejected whole (its error names
 * the set index) and, for delta encoding, not applied to the accumulated state; the
 * other sets are still returned. Request-level problems (not an object, bad
 * `globalWordCount`/`defaultWords`/semantics, over `maxElements`: WireLimitError) throw
 * WireFormatError; nothing else is thrown. Time and memory are linear in the request.
 */
export function decodeReport(req: ReportRequest, opts: ReportDecodeOptions = {}): DecodedReport {
  return asWireError(() => decodeChecked(req, decodeBudget("report request", opts.maxElements ?? MAX_WIRE_ELEMENTS)));
}

function decodeChecked(req: ReportRequest, budget: DecodeBudget): DecodedReport {
  const bad = req === null || typeof req !== "object" || Array.isArray(req) || ArrayBuffer.isView(req);
  const attributes: unknown = bad ? undefined : own(req, "attributes");
  if (!Array.isArray(attributes)) throw new WireFormatError("report request must have an 'attributes' list");
  const globalWordCount = checkGlobalWordCount(own(req, "globalWordCount") as number | undefined);
  const defaultWords: unknown = own(req, "defaultWords") ?? [];
  if (!Array.isArray(defaultWords)) throw new WireFormatError("field 'defaultWords' must be a list of strings");
  spend(budget, defaultWords.length + attributes.length);
  if (!defaultWords.every((w) => typeof w === "string")) throw new WireFormatError("field 'defaultWords' must be a list of strings");
  const sem: unknown = own(req, "repeatedAttributesSemantics") ?? RepeatedAttributesSemantics.DELTA_ENCODING;
  if (sem !== RepeatedAttributesSemantics.DELTA_ENCODING && sem !== RepeatedAttributesSemantics.INDEPENDENT_ENCODING) {
    throw new WireFormatError(`unknown repeated_attributes_semantics ${describeInput(sem)}`);
  }
  const out: DecodedReport = { bags: [], setIndexes: [], errors: [] };
  const history = new DeltaHistory();
  const opts = { globalWordCount, defaultWords: defaultWords as string[] };
  attributes.forEach((msg: unknown, i: number) => {
    let set: MutableBag;
    try {
      set = asWireError(() => decodeWith(msg as CompressedAttributes, opts, budget));
    } catch (e) {
      if (e instanceof WireLimitError) throw e;
      out.errors.push(new WireFormatError(`attribute set ${i}: ${(e as Error).message}`));
      return;
    }
    if (sem === RepeatedAttributesSemantics.INDEPENDENT_ENCODING) out.bags.push(set);
    else out.bags.push(new MutableBag(history.apply(set, set.ownNames())));
    out.setIndexes.push(i);
  });
  return out;
}

function own(obj: object, field: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, field) ? (obj as Record<string, unknown>)[field] : undefined;
}
