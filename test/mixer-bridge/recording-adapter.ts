import type { AdapterInfo, Instance } from "../../src/mixer/adapter/types";

/** What a recording handler saw. */
export interface Recorded {
  /** Every instance received, in order. */
  instances: Instance[];
  /** Handler calls. */
  calls: number;
}

/**
 * A test adapter `recorder` that keeps every instance it receives; with `hang`, each call
 * records and then returns a promise that never settles (a backend that stopped answering).
 */
export function recordingAdapter(into: Recorded, hang = false): AdapterInfo {
  return {
    name: "recorder",
    description: "records instances (tests)",
    supportedTemplates: ["metric", "logentry", "reportnothing"],
    defaultConfig: {},
    newBuilder: () => ({
      validate: () => [],
      build: () => ({
        handleReport: (_template: string, instances: readonly Instance[]) => {
          into.calls++;
          into.instances.push(...instances);
          return hang ? new Promise<void>(() => undefined) : undefined;
        },
        close: () => undefined,
      }),
    }),
  };
}

/** A handler, a metric instance with `dimensions` and a rule (optional `match`, `sampling`) routing it to the recorder. */
export function recorderConfig(dimensions: Record<string, string>, rule: { match?: string; sampling?: unknown } = {}): unknown[] {
  return [
    { kind: "handler", metadata: { name: "rec" }, spec: { compiledAdapter: "recorder" } },
    { kind: "instance", metadata: { name: "row" }, spec: { compiledTemplate: "metric", params: { value: "1", dimensions } } },
    { kind: "rule", metadata: { name: "r" }, spec: { ...rule, actions: [{ handler: "rec", instances: ["row"] }] } },
  ];
}
