import { enter, exit, fail, resume, suspend } from "./engine.js";
import { iter } from "./iterate.js";
import { NOOP_API, type GeneratedApi } from "./noop-api.js";
import { isDisabledAtLoad } from "./env.js";

export { NOOP_API, type GeneratedApi };

const live: GeneratedApi = Object.freeze({ enter, exit, fail, suspend, resume, iter });

/** The reserved identifier instrumented code imports. Chosen once, at load (FUNCTRACE=off). */
export const __ft: GeneratedApi = isDisabledAtLoad() ? NOOP_API : live;
