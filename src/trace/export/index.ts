export { setExporters, getExporters, getExportStats } from "./export-pipeline.js";
export { MemorySpanExporter } from "./memory-exporter.js";
export { ChromeTraceExporter, defaultChromeFile, type ChromeExporterOptions } from "./chrome-exporter.js";
export type { ExportedSpan, SpanExporter } from "./exported-span.js";
export type { BatchOptions, ExportStats } from "./export-channel.js";
export { validateExporters, parseExporterList, type ExporterSpec, type OtelSpanExporterLike, type OtelTracerLike } from "./exporter-spec.js";
export { validateBatchOptions } from "./batch-options.js";
