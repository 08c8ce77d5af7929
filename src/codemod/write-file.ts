import { chmodSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { threadId } from "node:worker_threads";

/**
 * Replace a file's contents atomically: write a temporary file next to it, then rename it over
 * the original, so a crash or a full disk never leaves a half-written source file.
 */
export function writeFileAtomic(file: string, text: string): void {
  // pid and thread: planning threads of one run never share a temporary name.
  const tmp = join(dirname(file), `.${basename(file)}.functrace-${process.pid}-${threadId}.tmp`);
  const mode = statSync(file).mode;
  try {
    writeFileSync(tmp, text);
    chmodSync(tmp, mode & 0o7777);
    renameSync(tmp, file);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // the temporary file was never created
    }
    throw err;
  }
}
