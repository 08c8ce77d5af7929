import type { AdapterInfo, FieldError, HandlerBuilder } from "../../adapter/types.js";
import { parseStdioConfig, STDIO_DEFAULTS, type StdioConfig } from "./config.js";
import { StdioHandler } from "./handler.js";
import { fileWriter, rotatingFileWriter, streamWriter, type LineWriter } from "./writer.js";

/** Opens the writer for a config (stdout, stderr, file or rotated file). */
export function openWriter(cfg: StdioConfig): LineWriter {
  switch (cfg.logStream) {
    case "STDERR":
      return streamWriter(process.stderr);
    case "FILE":
      return fileWriter(cfg.outputPath);
    case "ROTATED_FILE":
      // Mixer swaps days/files when configuring its rotator; we map them as documented.
      return rotatingFileWriter(cfg.outputPath, {
        maxBytes: cfg.maxMegabytesBeforeRotation * 1024 * 1024,
        maxAgeDays: cfg.maxDaysBeforeRotation,
        maxBackups: cfg.maxRotatedFiles,
      });
    default:
      return streamWriter(process.stdout);
  }
}

function newBuilder(): HandlerBuilder {
  return {
    validate: (input) => {
      const errors: FieldError[] = [];
      parseStdioConfig(input.params, errors);
      return errors;
    },
    build: (input) => {
      const cfg = parseStdioConfig(input.params, []);
      return new StdioHandler(cfg, openWriter(cfg));
    },
  };
}

/** `stdio` adapter (Mixer 7.4): logentry and metric instances as JSON lines. */
export const stdioAdapter: AdapterInfo = {
  name: "stdio",
  description: "Writes logentry and metric instances as JSON lines to stdout, stderr or a file",
  supportedTemplates: ["logentry", "metric"],
  defaultConfig: STDIO_DEFAULTS,
  newBuilder,
};
