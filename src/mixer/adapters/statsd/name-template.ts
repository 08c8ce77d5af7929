import { formatValue, type Value } from "../../attribute/index.js";

/** A parsed metric-name template: literal text and `{{.dimension}}` references. */
export interface NameTemplate {
  readonly parts: readonly (string | { readonly dim: string })[];
  /** Dimensions referenced, in order of first use. */
  readonly dims: readonly string[];
}

const ACTION_RE = /^\{\{\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/;
/** Characters that would break the statsd line protocol inside a name. */
const UNSAFE_RE = /[:|@\n\r]/g;

/**
 * Parses the Go-template subset the statsd adapter supports: literal text plus `{{.name}}`
 * (spaces inside the braces allowed). Any other action (`{{if}}`, `{{.a.b}}`, pipelines,
 * `{{- ...}}`, an unclosed `{{`) is an error naming the 1-based column.
 */
export function parseNameTemplate(text: string): NameTemplate | { readonly error: string } {
  const parts: (string | { dim: string })[] = [];
  const dims: string[] = [];
  let lit = "";
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{{", i);
    if (open < 0) {
      lit += text.slice(i);
      break;
    }
    lit += text.slice(i, open);
    const m = ACTION_RE.exec(text.slice(open));
    if (m === null) {
      const close = text.indexOf("}}", open);
      const action = close < 0 ? text.slice(open, open + 20) : text.slice(open, close + 2);
      const what = close < 0 ? "unclosed action" : "unsupported template action";
      return { error: `${what} ${JSON.stringify(action)} at column ${open + 1}: only {{.dimension}} is supported` };
    }
    if (lit !== "") parts.push(lit);
    lit = "";
    parts.push({ dim: m[1] });
    if (!dims.includes(m[1])) dims.push(m[1]);
    i = open + m[0].length;
  }
  if (lit !== "") parts.push(lit);
  return { parts, dims };
}

/** Renders a template with an instance's dimensions (Mixer Stringify; protocol characters become `_`). */
export function renderName(t: NameTemplate, dims: Readonly<Record<string, unknown>>): string {
  let out = "";
  for (const p of t.parts) {
    if (typeof p === "string") out += p;
    else {
      const v = dims[p.dim];
      out += v === undefined ? "" : formatValue(v as Value).replace(UNSAFE_RE, "_");
    }
  }
  return out;
}
