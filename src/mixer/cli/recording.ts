import type { AdapterInfo, Handler, Instance } from "../adapter/types.js";
import { toJson } from "./io.js";

/** One adapter call as the CLI prints it. */
export interface RecordedCall {
  handler: string;
  adapter: string;
  verb: "report" | "check" | "quota" | "generate";
  template: string;
  instances: unknown[];
  args?: unknown;
  result?: unknown;
  error?: string;
}

/**
 * Wraps adapters so every handler call is recorded (what the adapter received and
 * returned), while the real adapter still runs.
 */
export function recordingAdapters(infos: readonly AdapterInfo[], log: RecordedCall[]): AdapterInfo[] {
  return infos.map((info) => ({
    ...info,
    newBuilder: () => {
      const b = info.newBuilder();
      return {
        validate: (input) => b.validate(input),
        build: async (input, env) => wrap(await b.build(input, env), info.name, env.handlerName, log),
      };
    },
  }));
}

function wrap(h: Handler, adapter: string, handler: string, log: RecordedCall[]): Handler {
  const rec = async <T>(call: RecordedCall, fn: () => T | Promise<T>): Promise<T> => {
    log.push(call);
    try {
      const r = await fn();
      if (r !== undefined) call.result = toJson(r);
      return r;
    } catch (e) {
      call.error = (e as Error).message;
      throw e;
    }
  };
  const c = (verb: RecordedCall["verb"], template: string, instances: readonly Instance[], args?: unknown): RecordedCall => ({
    handler,
    adapter,
    verb,
    template,
    instances: instances.map(toJson),
    ...(args !== undefined ? { args } : {}),
  });
  return {
    handleReport: h.handleReport && ((t, insts) => rec(c("report", t, insts), () => h.handleReport!(t, insts))),
    handleCheck: h.handleCheck && ((t, inst) => rec(c("check", t, [inst]), () => h.handleCheck!(t, inst))),
    handleQuota: h.handleQuota && ((t, inst, args) => rec(c("quota", t, [inst], args), () => h.handleQuota!(t, inst, args))),
    generateAttributes: h.generateAttributes && ((t, inst, bag) => rec(c("generate", t, [inst]), () => h.generateAttributes!(t, inst, bag))),
    close: () => h.close(),
  };
}
