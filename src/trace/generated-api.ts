import { enter, exit, fail, resume, suspend } from "./engine.js";
import { iter } from "./iterate.js";
import { NOOP_API, type GeneratedApi } from "./noop-api.js";
import { isDisabledAtLoad } from "./env.js";
import { S } from "./state.js";

export { NOOP_API, type GeneratedApi };

/*
 * `__ft` is a hook object whose methods are swapped when tracing becomes active or inactive
 * (registry.ts recomputes S.active and calls S.apiSwitches): while nothing is configured its
 * methods are the no-op twin's, so an instrumented program with FUNCTRACE unset costs what
 * FUNCTRACE=off costs (PERF.md: a swappable hook object is as cheap as the frozen twin).
 *
 * Going inactive swaps `enter` only: calls already entered still end, suspend and resume through
 * the live entry points (which return at once for the no-op token), so no frame stays current.
 */
function switchable(): GeneratedApi {
  // Built property by property, not as `{ ...NOOP_API }` or a literal: measured on Node 22 and
  // 24, instrumented fib with nothing configured ran 1.27-1.30x the original through a spread or
  // literal copy and 1.01-1.11x (what the frozen twin costs) through this one (docs/benchmarks.md).
  const fields = {} as Record<keyof GeneratedApi, unknown>;
  for (const key of Object.keys(NOOP_API) as (keyof GeneratedApi)[]) fields[key] = NOOP_API[key];
  const api = fields as unknown as GeneratedApi;
  let live = false;
  const apply = (active: boolean): void => {
    if (active) {
      if (api.enter === enter) return;
      live = true;
      api.exit = exit;
      api.fail = fail;
      api.suspend = suspend;
      api.resume = resume;
      api.iter = iter;
      api.enter = enter;
    } else if (live && api.enter !== NOOP_API.enter) {
      api.enter = NOOP_API.enter;
    }
  };
  S.apiSwitches.push(apply);
  apply(S.active);
  return api;
}

/** The reserved identifier instrumented code imports. FUNCTRACE=off at load: the frozen no-op twin for good. */
export const __ft: GeneratedApi = isDisabledAtLoad() ? NOOP_API : switchable();
