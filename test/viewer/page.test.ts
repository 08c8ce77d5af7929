import { PAGE_SCRIPT, PAGE_SCRIPT_SECTIONS } from "../../src/viewer/page-script";
import { renderViewer } from "../../src/viewer/render";
import { readTreeLines } from "../../src/cli/read-tree";
import { chunked } from "../cli/helpers";

describe("the viewer page", () => {
  it("its script parses (it is a string: nothing else checks it before a browser runs it)", () => {
    expect(() => new Function(PAGE_SCRIPT)).not.toThrow();
  });

  it("each part of the script is whole statements (a file cut mid-statement would only parse when joined)", () => {
    for (const part of PAGE_SCRIPT_SECTIONS.flat()) expect(() => new Function(part)).not.toThrow();
  });

  it("escapes what the recording says: names cannot close the script element or inject markup", async () => {
    const model = await readTreeLines("x.txt", chunked("g[01]:    -></script><b>x</b>\ng[01]:    <-</script><b>x</b>\n"));
    const html = renderViewer(model, { title: "<i>t</i>" });
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(html).toContain("functrace · &lt;i&gt;t&lt;/i&gt;");
    expect(html).not.toContain("<b>x</b>");
  });
});
