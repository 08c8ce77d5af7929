// functrace/vitest-setup (Vitest `setupFiles`): Vitest ends its workers without the process
// "exit" event the runtime flushes its printer and exporters on, so flush after each test file.
import { afterAll } from "vitest";
import { flush } from "../index.js";

afterAll(() => flush());
