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
  const api: GeneratedApi = { ...NOOP_API };
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
