export { RecordWriter, defaultRecordFile, type RecordOptions } from "./record-writer.js";
export {
  decodeRecording,
  readRecordingFile,
  isRecording,
  RecordingError,
  type Recording,
  type RecordingHeader,
  type RecordedEvent,
  type RecordedFlow,
  type RecordedSite,
  type RecordedTrace,
} from "./reader.js";
export {
  renderTree,
  renderChrome,
  renderZipkin,
  renderOtlpJson,
  recordedSpans,
  filterEvents,
  type RenderFilter,
  type TreeRenderOptions,
  type RenderedSpan,
} from "./render.js";
