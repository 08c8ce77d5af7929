/** Attribute model of the Mixer core: value types, bags, manifests, wire format. */
export { ValueType, valueTypeName, parseValueType } from "./value-type.js";
export { Duration, Timestamp, IpAddress, StringMap, typeOfValue, isValue, valuesEqual, bytesEqual } from "./values.js";
export type { Value } from "./values.js";
export {
  formatValue,
  formatGoDuration,
  formatGoFloat,
  formatIp,
  formatRfc3339,
  formatTimestampMicros,
  formatStringMap,
  toJSONValue,
} from "./format.js";
export { parseGoDuration, parseRfc3339, parseIp } from "./parse.js";
export { MutableBag, EMPTY_BAG, createBag, copyBag } from "./bag.js";
export type { Bag } from "./bag.js";
export { createFinder, finderFromTypes, checkAttributeName, ManifestError } from "./manifest.js";
export type { AttributeManifest, AttributeDescriptor, AttributeDescriptorFinder, AttributeFinder } from "./manifest.js";
export { STANDARD_MANIFESTS, ISTIOPROXY_MANIFEST, KUBERNETES_MANIFEST, FUNCTRACE_MANIFEST } from "./standard-manifests.js";
export { bagFromJSON, convertJsonValue, BagJsonError } from "./bag-from-json.js";
export { GLOBAL_DICTIONARY } from "./global-dictionary.js";
export { WireFormatError, WireLimitError, MAX_WIRE_ELEMENTS, RepeatedAttributesSemantics } from "./wire-types.js";
export type { CompressedAttributes, ReportRequest, WireTime, WireStringMap } from "./wire-types.js";
export { encodeAttributes, decodeAttributes } from "./wire-codec.js";
export type { WireOptions, DecodeOptions } from "./wire-codec.js";
export { encodeReport, decodeReport } from "./wire-report.js";
export type { ReportEncodeOptions, ReportDecodeOptions, DecodedReport } from "./wire-report.js";
export { echo, capMessage, describeInput, MAX_ECHO_LENGTH, MAX_MESSAGE_LENGTH } from "./echo.js";
