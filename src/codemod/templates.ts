import { RESERVED } from "./markers.js";

// Every injected piece is a fixed string (or a fixed string with JSON-quoted arguments), so
// `--remove` can take each one out by an exact inverse edit. Change nothing here without
// updating remove.ts and docs/generated-code-contract.md: users' code depends on these texts.

const { api, token, error } = RESERVED;

/**
 * Coverage hints. istanbul/nyc (Jest's `babel` provider) drops the node after
 * `/* istanbul ignore next *\/` from its counts; V8 coverage (c8, Jest's `v8` provider, through
 * v8-to-istanbul) is line-based, and `/* c8 ignore next *\/` after code on a line ignores just
 * that line: the tail's line, where the never-run `catch` block would be an uncovered branch.
 */
export const IGNORE_NEXT = "/* istanbul ignore next */";
export const C8_IGNORE_LINE = "/* c8 ignore next */";

/** `const` where the file is ES2015+, `var` in ES5-only files (old toolchains keep parsing them). */
export type DeclKeyword = "const" | "var";

/** The `__ft.enter(...)` call for one function. */
export function enterCall(name: string, file: string, line: number): string {
  return `${api}.enter(${JSON.stringify(name)}, ${JSON.stringify(file)}, ${line})`;
}

/** `let` in ES2015+ files (the token is assigned inside the `try`), `var` in ES5-only files. */
function tokenDecl(decl: DeclKeyword): string {
  return decl === "const" ? "let" : "var";
}

/**
 * Inserted right after the `{` of a block body (or after the directive prologue / `super()`).
 * The `try` starts with the `enter` call, so lint's code-path analysis (eslint `no-unreachable`)
 * sees the `catch` reachable even when the body itself cannot throw.
 */
export function blockHead(decl: DeclKeyword, enter: string): string {
  return ` ${IGNORE_NEXT} ${tokenDecl(decl)} ${token} = ${api}.NOOP; try { ${IGNORE_NEXT} ${token} = ${enter};`;
}

/** Inserted right before the closing `}` of a block body. */
export const BLOCK_TAIL = `} ${catchFinally()} `;

/** `catch`/`finally` of the wrapper: neither block counts for coverage. */
function catchFinally(): string {
  return `catch (${error}) ${IGNORE_NEXT} { ${C8_IGNORE_LINE} ${api}.fail(${token}, ${error}); throw ${error}; } finally ${IGNORE_NEXT} { ${api}.exit(${token}); }`;
}

/** Inserted before the expression of a concise arrow body `x => expr`. */
export function conciseHead(decl: DeclKeyword, enter: string): string {
  return `{ ${IGNORE_NEXT} ${tokenDecl(decl)} ${token} = ${api}.NOOP; try { ${IGNORE_NEXT} ${token} = ${enter}; return `;
}

/** Inserted after the expression of a concise arrow body; `}}` (no space) tells it from a block tail. */
export const CONCISE_TAIL = `; } ${catchFinally()}}`;

/** `await e` → `__ft.resume(__ft_t, await __ft.suspend(__ft_t, e))` (same for a used `yield`, `yield*`). */
export const RESUME_OPEN = `${api}.resume(${token}, `;
export const SUSPEND_OPEN = `${api}.suspend(${token}, `;
/** An operand that touches its keyword (`await(x)`, `of[a]`) gets parentheses: `await(__ft.suspend(__ft_t, (x)))`. */
export const PAREN_OPEN = "(";
export const PAREN_CLOSE = ")";
export const SUSPEND_CLOSE = ")";
export const RESUME_CLOSE = ")";
/** A bare `yield` becomes `__ft.resume(__ft_t, yield(__ft.suspend(__ft_t, void 0)))`. */
export const BARE_SUSPEND = `(${api}.suspend(${token}, void 0))`;
/**
 * A `yield` whose result is unused (statement position) becomes `void (yield __ft.suspend(__ft_t, e), __ft.resume(__ft_t))`,
 * so TypeScript does not see the result used (TS7057 under noImplicitAny); `void` first so a statement never starts
 * with `(` (which would continue a previous line that has no semicolon).
 */
export const UNUSED_OPEN = "void (";
export const UNUSED_CLOSE = `, ${api}.resume(${token}))`;

/** First statement of a `catch`/`finally` block in async functions and generators. */
export const RESUME_STMT = ` ${IGNORE_NEXT} ${api}.resume(${token});`;

/** `for await (x of it) body` → `for await (x of __ft.iter(__ft_t, it)) { __ft.resume(__ft_t); body }`. */
export const ITER_OPEN = `${api}.iter(${token}, `;
export const ITER_CLOSE = ")";
export const LOOP_BODY_OPEN = `{ ${IGNORE_NEXT} ${api}.resume(${token}); `;
export const LOOP_BODY_CLOSE = " }";
/** After a `for await` loop in a statement list. */
export const AFTER_LOOP = ` ${IGNORE_NEXT} ${api}.resume(${token});`;
/** A `for await` loop in a single-statement position (`if (c) for await ...`) is wrapped. */
export const WRAP_LOOP_OPEN = "{ ";
export const WRAP_LOOP_CLOSE = ` ${IGNORE_NEXT} ${api}.resume(${token}) }`;

/** The import, ESM or CommonJS; `var` + property access in ES5-only files. */
export function importStatement(style: "esm" | "cjs", decl: DeclKeyword, from: string): string {
  const spec = JSON.stringify(from);
  if (style === "esm") return `import { ${api} } from ${spec};`;
  if (decl === "var") return `var ${api} = require(${spec}).${api};`;
  return `const { ${api} } = require(${spec});`;
}

/**
 * The texts of functrace 0.1 (before the coverage hints), which `--remove` still takes out:
 * code instrumented by an older version stays removable.
 */
/** The heads written by 0.1 after the coverage hints (`const` token before the `try`), still removable. */
export const PREVIOUS = {
  blockHead: (decl: DeclKeyword, enter: string) => ` ${IGNORE_NEXT} ${decl} ${token} = ${enter}; try {`,
  conciseHead: (decl: DeclKeyword, enter: string) => `{ ${IGNORE_NEXT} ${decl} ${token} = ${enter}; try { return `,
};

export const LEGACY = {
  blockHead: (decl: DeclKeyword, enter: string) => ` ${decl} ${token} = ${enter}; try {`,
  conciseHead: (decl: DeclKeyword, enter: string) => `{ ${decl} ${token} = ${enter}; try { return `,
  BLOCK_TAIL: `} catch (${error}) { ${api}.fail(${token}, ${error}); throw ${error}; } finally { ${api}.exit(${token}); } `,
  CONCISE_TAIL: `; } catch (${error}) { ${api}.fail(${token}, ${error}); throw ${error}; } finally { ${api}.exit(${token}); }}`,
  RESUME_STMT: ` ${api}.resume(${token});`,
  LOOP_BODY_OPEN: `{ ${api}.resume(${token}); `,
  AFTER_LOOP: ` ${api}.resume(${token});`,
  WRAP_LOOP_CLOSE: ` ${api}.resume(${token}) }`,
};
