import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Duration, IpAddress, StringMap, Timestamp } from "../../../src/mixer/attribute/index";
import { parseStdioConfig } from "../../../src/mixer/adapters/stdio/config";
import { StdioHandler } from "../../../src/mixer/adapters/stdio/handler";
import { listBackups, rotatingFileWriter } from "../../../src/mixer/adapters/stdio/writer";
import { stdioAdapter } from "../../../src/mixer/adapters/index";
import { HandlerEnv, createLogger, NOOP_LOG_SINK } from "../../../src/mixer/adapter/index";

function handler(params: Record<string, unknown> = {}): { h: StdioHandler; out: string[] } {
  const out: string[] = [];
  const cfg = parseStdioConfig({ ...params }, []);
  return { h: new StdioHandler(cfg, { write: (c) => void out.push(c), close: () => undefined }, () => Date.UTC(2017, 7, 21, 10, 4)), out };
}

const ts = new Timestamp(BigInt(Date.UTC(2017, 7, 21, 10, 4) / 1000));

describe("stdio adapter", () => {
  it("should write a logentry as a zap JSON line with sorted variables (Mixer's example)", () => {
    const { h, out } = handler();
    h.handleReport("logentry", [
      { name: "Foo", severity: "WARNING", timestamp: ts, variables: { String: "a string", Int64: 123n, Bool: true, Duration: new Duration(1_000_000_000n), StringMap: new StringMap({ C: "D", A: "B" }) } },
    ]);
    expect(out).toEqual([
      '{"level":"warn","time":"2017-08-21T10:04:00.000000Z","instance":"Foo","Bool":true,"Duration":"1s","Int64":123,"String":"a string","StringMap":{"A":"B","C":"D"}}\n',
    ]);
  });

  it("should write a metric with value first and IPs as text, one write per batch", () => {
    const { h, out } = handler();
    const ip = new IpAddress(Uint8Array.from([10, 0, 0, 1]));
    h.handleReport("metric", [
      { name: "m1", value: 1.5, dimensions: { z: "x", a: ip } },
      { name: "m2", value: 2n, dimensions: {} },
    ]);
    expect(out).toEqual(['{"level":"info","time":"2017-08-21T10:04:00.000000Z","instance":"m1","value":1.5,"a":"10.0.0.1","z":"x"}\n{"level":"info","time":"2017-08-21T10:04:00.000000Z","instance":"m2","value":2}\n']);
  });

  it("should drop entries below output_level and map unknown severities to info", () => {
    const { h, out } = handler({ output_level: "WARNING" });
    h.handleReport("logentry", [
      { name: "a", severity: "nope", timestamp: ts, variables: {} },
      { name: "b", severity: "err", timestamp: ts, variables: {} },
    ]);
    expect(out.join("")).toBe('{"level":"error","time":"2017-08-21T10:04:00.000000Z","instance":"b"}\n');
  });

  it("should write the console layout when output_as_json is false", () => {
    const { h, out } = handler({ outputAsJson: false });
    h.handleReport("logentry", [{ name: "a", severity: "info", timestamp: ts, variables: { k: "v", n: 1n } }]);
    expect(out.join("")).toBe('2017-08-21T10:04:00.000000Z\tinfo\ta\t{"k": "v", "n": 1}\n');
  });

  it.each([
    [{ log_stream: "FILE" }, "output_path: required when log_stream is FILE"],
    [{ output_path: "/tmp/x" }, "output_path: not allowed when log_stream is STDOUT"],
    [{ log_stream: "PIPE" }, "log_stream: expected one of STDOUT, STDERR, FILE, ROTATED_FILE, got string \"PIPE\""],
    [{ severity_levels: { x: "LOUD" } }, "severity_levels[x]: expected one of INFO, WARNING, ERROR, got string \"LOUD\""],
    [{ max_rotated_files: -1 }, "max_rotated_files: must be >= 0"],
  ])("should reject bad params %j", (params, expected) => {
    const errors = stdioAdapter.newBuilder().validate({ params, types: new Map() });
    expect(errors.map((e) => `${e.field}: ${e.message}`)).toEqual([expected]);
  });

  it("should append to a file built from config", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stdio-"));
    const path = join(dir, "out.log");
    const h = await stdioAdapter.newBuilder().build({ params: { ...stdioAdapter.defaultConfig as object, log_stream: "FILE", output_path: path }, types: new Map() }, new HandlerEnv(createLogger(NOOP_LOG_SINK, "t")));
    await h.handleReport!("metric", [{ name: "m", value: 1n, dimensions: {} }]);
    await h.close();
    expect(readFileSync(path, "utf8")).toMatch(/^\{"level":"info","time":"[^"]+","instance":"m","value":1\}\n$/);
  });

  it("should rotate files by size and keep at most max backups", () => {
    const dir = mkdtempSync(join(tmpdir(), "stdio-rot-"));
    const path = join(dir, "spans.log");
    writeFileSync(path, "");
    let now = Date.UTC(2024, 0, 1);
    const w = rotatingFileWriter(path, { maxBytes: 10, maxAgeDays: 0, maxBackups: 2, now: () => (now += 1000) });
    for (let i = 0; i < 5; i++) w.write(`line-${i}\n`);
    w.close();
    expect(readFileSync(path, "utf8")).toBe("line-4\n");
    const backups = listBackups(path);
    expect(backups).toHaveLength(2);
    expect(readFileSync(backups[0], "utf8")).toBe("line-3\n");
  });
});
