/**
 * Report-level encoding (§2.3): several attribute sets in one request, either
 * delta-encoded (each set only carries what changed since the previous one) or
 * independent, sharing one `default_words` dictionary.
 */
import { copyBag, MutableBag, type Bag } from "./bag.js";
import { valuesEqual } from "./values.js";
import { decodeAttributes, encodeInto, type WireOptions } from "./wire-codec.js";
import {
  checkGlobalWordCount,
  RepeatedAttributesSemantics,
  WireFormatError,
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
  bags: MutableBag[];
  /** Index (in `attributes`) of each entry of `bags`. */
  setIndexes: number[];
  errors: WireFormatError[];
}

/**
 * Decodes a ReportRequest eagerly. A malformed set is rejected whole (its error names
 * the set index) and, for delta encoding, not applied to the accumulated state; the
 * other sets are still returned. Request-level problems throw WireFormatError.
 */
export function decodeReport(req: ReportRequest): DecodedReport {
  if (req === null || typeof req !== "object" || !Array.isArray(req.attributes)) {
    throw new WireFormatError("report request must have an 'attributes' list");
  }
  const globalWordCount = checkGlobalWordCount(req.globalWordCount);
  const defaultWords = req.defaultWords ?? [];
  if (!Array.isArray(defaultWords) || !defaultWords.every((w) => typeof w === "string")) {
    throw new WireFormatError("field 'defaultWords' must be a list of strings");
  }
  const sem = req.repeatedAttributesSemantics ?? RepeatedAttributesSemantics.DELTA_ENCODING;
  if (sem !== RepeatedAttributesSemantics.DELTA_ENCODING && sem !== RepeatedAttributesSemantics.INDEPENDENT_ENCODING) {
    throw new WireFormatError(`unknown repeated_attributes_semantics ${String(sem)}`);
  }
  const out: DecodedReport = { bags: [], setIndexes: [], errors: [] };
  const accum = new MutableBag();
  req.attributes.forEach((msg, i) => {
    let set: MutableBag;
    try {
      set = decodeAttributes(msg, { globalWordCount, defaultWords });
    } catch (e) {
      const m = e instanceof Error ? e.message : String(e);
      out.errors.push(new WireFormatError(`attribute set ${i}: ${m}`));
      return;
    }
    if (sem === RepeatedAttributesSemantics.INDEPENDENT_ENCODING) {
      out.bags.push(set);
    } else {
      for (const n of set.ownNames()) accum.set(n, set.get(n)!);
      out.bags.push(copyBag(accum));
    }
    out.setIndexes.push(i);
  });
  return out;
}
