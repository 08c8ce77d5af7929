// Inputs of the real-code workloads: a Markdown corpus (the READMEs of installed packages plus
// one synthetic document that uses every block kind) and a semver version x range grid.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const PACKAGES = [
  "marked", "semver", "yaml", "async", "ajv", "prom-client", "picomatch", "ignore", "diff", "mnemonist",
  "cli-progress", "fast-check", "ts-morph", "hot-shots", "njstrace", "typescript", "@opentelemetry/api",
  "@opentelemetry/sdk-trace-base",
];

const SYNTHETIC = `# Synthetic document

Some *emphasis*, **strong**, \`code\`, a [link](https://example.com "title") and ~~strike~~.

> A quote with a [reference][ref] and an autolink <https://example.org>.

1. first
2. second
   - nested *item*
   - [ ] task
   - [x] done

| name | value | note |
|:-----|------:|:----:|
| a    | 1     | x    |
| b    | 2     | y    |

\`\`\`js
function hello(name) { return "hi " + name; }
\`\`\`

Setext heading
--------------

<div>raw html</div>

[ref]: https://example.net
`;

/** The Markdown documents, in a fixed order (the same in every process). */
export function markdownCorpus(root) {
  const docs = [SYNTHETIC];
  for (const name of PACKAGES) {
    for (const file of ["README.md", "readme.md", "Readme.md"]) {
      const path = join(root, "node_modules", name, file);
      if (existsSync(path)) {
        docs.push(readFileSync(path, "utf8"));
        break;
      }
    }
  }
  return docs;
}

/** Versions (releases and prereleases) and ranges for the semver grid. */
export function semverGrid() {
  const versions = [];
  for (let major = 0; major < 4; major++) {
    for (let minor = 0; minor < 4; minor++) {
      versions.push(`${major}.${minor}.${(major * 7 + minor * 3) % 11}`);
      if (minor % 2 === 0) versions.push(`${major}.${minor}.0-beta.${minor + 1}`);
    }
  }
  versions.push("v1.2.3", "=2.0.0", "1.2.3+build.5", "not-a-version");
  const ranges = [
    "^1.2.3", "~1.2", ">=1.0.0 <2.0.0", "1.x || >=2.5.0", "*", "<0.2.0", "2.0.0 - 3.1.0", "^0.1.x",
    ">=1.0.0-beta.1", "~3", "1.2.3 || 2.x", ">2.1.1 <=3.3.3", "^2.0.0-beta.0", "3.0 - 3.2",
  ];
  return { versions, ranges };
}
