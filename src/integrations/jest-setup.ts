// functrace/jest-setup (setupFilesAfterEnv): Jest's sandbox never sees the process "exit" event
// the runtime flushes its printer and exporters on, so flush after each test file instead.
import { flush } from "../index.js";

const hooks = globalThis as { afterAll?: (fn: () => Promise<void>) => void };
hooks.afterAll?.(() => flush());
