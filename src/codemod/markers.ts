/** The command name, shown in messages and the progress bar. */
export const CLI_NAME = "functrace-gen";

/** The runtime module instrumented code imports by default. */
export const DEFAULT_IMPORT_FROM = "functrace";

/** Identifiers reserved for injected code; a file that already uses one is not instrumented. */
export const RESERVED = { api: "__ft", token: "__ft_t", error: "__ft_e" } as const;

/** Any use of a reserved identifier (`__ft`, `__ft_t`, `__ft_e`). */
export const RESERVED_RE = /\b__ft(?:_t|_e)?\b/;

/** `// functrace-ignore` in the comments right before a function opts it (and what it contains) out. */
export const IGNORE_RE = /^\s*(?:\/\/|\/\*+)\s*functrace-ignore(?:-next)?\b(?!-file)/m;

/** `// functrace-ignore-file` in the comments at the top of a file opts the whole file out. */
export const IGNORE_FILE_RE = /^\s*(?:\/\/|\/\*+)\s*functrace-ignore-file\b/m;

/** Path fragments that mark our own runtime, which is never instrumented. */
export const RUNTIME_PATH_RE = /(?:^|[\\/])node_modules[\\/]functrace[\\/]/;
