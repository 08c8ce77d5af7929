import { ESLint } from "eslint";
import { instrumentText } from "../../src/codemod/index.js";

/**
 * A project that is clean under eslint's code-path rules stays clean once instrumented: the
 * wrapper's `try` starts with the `enter` call, so its `catch` is reachable even when the body
 * cannot throw (`() => "x"`), and the token is reassigned, so `prefer-const` has nothing to say.
 */
const SOURCE = `export const literal = () => "x";
export function empty() {}
export function sum(a, b) {
  return a + b;
}
export class Box {
  get size() {
    return 1;
  }
}
export async function later(ms) {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
}
`;

const RULES = {
  "no-unreachable": "error",
  "prefer-const": "error",
  "no-unused-vars": "error",
  "no-useless-catch": "error",
  "no-unsafe-finally": "error",
  "no-undef": "error",
  "no-redeclare": "error",
} as const;

async function lint(text: string): Promise<string[]> {
  const eslint = new ESLint({
    overrideConfigFile: true,
    overrideConfig: {
      languageOptions: { sourceType: "module", ecmaVersion: 2022, globals: { setTimeout: "readonly" } },
      rules: RULES,
    },
  });
  const [result] = await eslint.lintText(text, { filePath: "src/app.js" });
  return result.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
}

describe("instrumented code under eslint's code-path rules", () => {
  it("has no problem where the original has none", async () => {
    expect(await lint(SOURCE)).toEqual([]);
    const { text } = instrumentText(SOURCE, { fileName: "src/app.js", moduleType: "esm" });
    expect(text).toContain("__ft_t = __ft.enter(");
    expect(await lint(text)).toEqual([]);
  });
});
