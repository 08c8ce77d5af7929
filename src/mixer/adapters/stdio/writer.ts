import { closeSync, fstatSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";

/** Where stdio lines go: one `write` per flushed batch. */
export interface LineWriter {
  write(chunk: string): void;
  close(): void;
}

/** Writes to a Node stream (stdout/stderr or any Writable-like object). */
export function streamWriter(stream: { write(chunk: string): unknown }): LineWriter {
  return { write: (c) => void stream.write(c), close: () => undefined };
}

/** Appends to a file (created when missing). */
export function fileWriter(path: string): LineWriter {
  const fd = openSync(path, "a");
  let open = true;
  return {
    write: (c) => {
      if (open) writeSync(fd, c);
    },
    close: () => {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

/** Rotation limits; `maxBytes`/`maxAgeDays`/`maxBackups` of 0 mean "no limit". */
export interface RotationOptions {
  readonly maxBytes: number;
  readonly maxAgeDays: number;
  readonly maxBackups: number;
  /** Injectable clock for tests (ms since epoch). */
  readonly now?: () => number;
}

/**
 * Appends to a file and rotates it when the next write would exceed `maxBytes`
 * (lumberjack style: the old file is renamed `<name>-<UTC time><ext>`); then deletes backups
 * beyond `maxBackups` (oldest first) and older than `maxAgeDays`.
 */
export function rotatingFileWriter(path: string, opts: RotationOptions): LineWriter {
  const now = opts.now ?? Date.now;
  let fd = openSync(path, "a");
  let size = fstatSync(fd).size;
  let open = true;
  const rotate = (): void => {
    closeSync(fd);
    renameSync(path, backupName(path, now()));
    fd = openSync(path, "a");
    size = 0;
    pruneBackups(path, opts, now());
  };
  return {
    write: (c) => {
      if (!open) return;
      const bytes = Buffer.byteLength(c);
      if (opts.maxBytes > 0 && size > 0 && size + bytes > opts.maxBytes) rotate();
      writeSync(fd, c);
      size += bytes;
    },
    close: () => {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

function backupName(path: string, ms: number): string {
  const ext = extname(path);
  const stem = basename(path, ext);
  const stamp = new Date(ms).toISOString().replace(/:/g, "-").replace("Z", "");
  let name = join(dirname(path), `${stem}-${stamp}${ext}`);
  for (let i = 1; existsQuiet(name); i++) name = join(dirname(path), `${stem}-${stamp}.${i}${ext}`);
  return name;
}

function existsQuiet(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Backups of `path`, newest first. */
export function listBackups(path: string): string[] {
  const ext = extname(path);
  const stem = basename(path, ext);
  const dir = dirname(path);
  return readdirSync(dir)
    .filter((f) => f !== basename(path) && f.startsWith(`${stem}-`) && f.endsWith(ext))
    .map((f) => join(dir, f))
    .sort()
    .reverse();
}

function pruneBackups(path: string, opts: RotationOptions, nowMs: number): void {
  const backups = listBackups(path);
  const cutoff = nowMs - opts.maxAgeDays * 86_400_000;
  backups.forEach((b, i) => {
    const tooMany = opts.maxBackups > 0 && i >= opts.maxBackups;
    const tooOld = opts.maxAgeDays > 0 && statSync(b).mtimeMs < cutoff;
    if (tooMany || tooOld) unlinkSync(b);
  });
}
