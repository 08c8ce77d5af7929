import { parseNameTemplate, renderName, type NameTemplate } from "../../../../src/mixer/adapters/statsd/name-template";

function parse(text: string): NameTemplate {
  const t = parseNameTemplate(text);
  if ("error" in t) throw new Error(t.error);
  return t;
}

describe("statsd name templates ({{.dimension}} subset of Go text/template)", () => {
  it("should substitute dimensions, with or without spaces inside the braces", () => {
    const t = parse("{{.apiMethod}}-{{ .responseCode }}.{{.apiMethod}}");
    expect(t.dims).toEqual(["apiMethod", "responseCode"]);
    expect(renderName(t, { apiMethod: "get", responseCode: 200n })).toBe("get-200.get");
  });

  it("should keep literal text and text without actions", () => {
    expect(renderName(parse("plain.name"), {})).toBe("plain.name");
    expect(renderName(parse("a}}b"), {})).toBe("a}}b");
    expect(parse("").parts).toEqual([]);
  });

  it("should stringify values like Mixer and replace protocol characters", () => {
    const t = parse("x.{{.v}}");
    expect(renderName(t, { v: true })).toBe("x.true");
    expect(renderName(t, { v: 1.5 })).toBe("x.1.5");
    expect(renderName(t, { v: "a:b|c@d\ne" })).toBe("x.a_b_c_d_e");
    expect(renderName(t, {})).toBe("x.");
  });

  it.each([
    ["{{if .a}}x{{end}}", 'unsupported template action "{{if .a}}" at column 1'],
    ["a.{{.a.b}}", 'unsupported template action "{{.a.b}}" at column 3'],
    ["{{.a | printf}}", 'unsupported template action "{{.a | printf}}" at column 1'],
    ["{{- .a}}", 'unsupported template action "{{- .a}}" at column 1'],
    ["{{a}}", 'unsupported template action "{{a}}" at column 1'],
    ["{{.}}", 'unsupported template action "{{.}}" at column 1'],
    ["x{{.a", 'unclosed action "{{.a" at column 2'],
    ['{{"lit"}}', "unsupported template action"],
  ])("should reject %j", (text, message) => {
    const t = parseNameTemplate(text);
    expect("error" in t && t.error).toContain(message);
  });
});
