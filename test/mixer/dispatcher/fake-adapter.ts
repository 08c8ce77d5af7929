import type { AdapterInfo, Handler, Instance } from "../../../src/mixer/adapter/index";
import { formatValue, type Value } from "../../../src/mixer/attribute/index";

/** Call log lines like `report metric h1 [a=1,b=x]`, shared by all fake handlers. */
export const callLog: string[] = [];
export const closed: string[] = [];
let builds = 0;
export function buildCount(): number {
  return builds;
}

function show(inst: Instance): string {
  const fields = Object.entries(inst)
    .filter(([k, v]) => k !== "name" && v !== "" && !(v && typeof v === "object" && v.constructor === Object && Object.keys(v).length === 0 && k !== "dimensions" && k !== "inputs"))
    .map(([k, v]) => (v && typeof v === "object" && !("nanos" in v) && !("bytes" in v) && !("entries" in v) ? `${k}={${Object.entries(v as Record<string, Value>).map(([a, b]) => `${a}:${formatValue(b)}`).join(",")}}` : `${k}=${formatValue(v as Value)}`));
  return `${inst.name.split(".")[0]}(${fields.join(" ")})`;
}

/** A recording adapter: params `{id, fail?, hang?, code?, message?, durationMs?, useCount?, output?}`. */
export const fakeAdapter: AdapterInfo = {
  name: "fake",
  description: "records calls",
  supportedTemplates: ["metric", "logentry", "checknothing", "listentry", "quota", "attributes", "reportnothing"],
  defaultConfig: {},
  newBuilder: () => ({
    validate: () => [],
    build: (input) => {
      builds++;
      const p = input.params as Record<string, any>;
      const id = String(p.id ?? "fake");
      const act = async <T>(line: string, v: T): Promise<T> => {
        callLog.push(`${id} ${line}`);
        if (p.hang) await new Promise(() => undefined);
        if (p.fail) throw new Error(String(p.fail));
        return v;
      };
      const h: Handler = {
        handleReport: (t, insts) => act(`report ${t} ${insts.map(show).join(" ")}`, undefined),
        handleCheck: (t, inst) => act(`check ${t} ${show(inst)}`, { status: { code: p.code ?? 0, message: p.message }, validDurationMs: p.durationMs ?? 0, validUseCount: p.useCount ?? 0 }),
        handleQuota: (t, inst, args) => act(`quota ${t} ${show(inst)} amount=${args.quotaAmount}`, { status: { code: 0 }, amount: p.grant ?? args.quotaAmount, validDurationMs: 1000 }),
        generateAttributes: (t, inst) => act(`generate ${t} ${show(inst)}`, p.output ?? {}),
        close: () => void closed.push(id),
      };
      return h;
    },
  }),
};
