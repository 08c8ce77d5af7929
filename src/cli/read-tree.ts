import { FLAG_FAILED, FLAG_UNFINISHED, TraceInputError, TraceModel } from "./model.js";
import { forEachLine } from "./lines.js";

/** After this many lines without one tree line, the input is not a tree: stop early. */
const GIVE_UP_AFTER = 1000;

const ANSI = /\x1b\[[0-9;]*m/g;
const PID = /^\[(\d+)\] /;
const STAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) /;
const HEAD = /^g\[(\d+)\]:( *)(->|<-)/;
const ORIGIN = / <~ g\[(\d+)\](?: (.*))?$/;
const REQUEST = / \[([A-Z]+ .* [0-9a-f]{8})\]$/;
const DURATION = /^ (\d+(?:\.\d+)?)(µs|ms|s)(?= |$)/;
const HANDOFF = / ~> g\[(\d+)\]$/;

interface FlowState {
  /** Open spans by depth (index = depth), -1 for none. */
  open: number[];
  /** Finished spans by name, latest: where a flow spawned by an already-returned call comes from. */
  lastByName: Map<number, number>;
  /** Spans handed off to this flow (`<-f ~> g[NN]`) that have not arrived yet (`->f <~ g[..]`). */
  arriving: number[];
  shown: boolean;
}

/**
 * Reads the tree text (`g[01]:    ->main.main`, the Go format) into the model. Each flow is
 * a stack by depth; a flow's first line names its origin (`<~ g[01] main.main`): the innermost
 * open call of that name in that flow, or its latest finished one (a callback whose scheduler
 * returned), becomes the parent of the flow's first call, so chains cross flows. Handoffs
 * (`<-f ~> g[04]` then `->f <~ g[03]`) move the same call to its new flow. `[pid]` prefixes,
 * timestamps, durations, colour and `!Error` suffixes are understood; without times, start and
 * stop are line numbers. Lines that are not tree lines (program output on the same stream) are
 * skipped and counted; input with no tree line at all is an error naming its first line.
 */
export async function readTreeLines(file: string, chunks: AsyncIterable<Buffer | string>): Promise<TraceModel> {
  const m = new TraceModel({ file, format: "tree", timeUnit: "line" });
  const flows: FlowState[] = [];
  let treeLines = 0;
  let firstBad: { no: number; text: string } | null = null;
  let skipped = 0;
  let stamped = false;
  let ignoredExits = 0;
  const state = (flow: number): FlowState => {
    let s = flows[flow];
    if (s === undefined) s = flows[flow] = { open: [], lastByName: new Map(), arriving: [], shown: false };
    return s;
  };
  const close = (i: number, at: number): void => {
    m.stop[i] = at;
    if (stamped && Number.isNaN(m.dur[i])) m.dur[i] = at - m.start[i];
  };
  await forEachLine(file, chunks, (raw, no) => {
    let line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.includes("\x1b")) line = line.replace(ANSI, "");
    let pid = 0;
    let at = no;
    const p = PID.exec(line);
    if (p !== null) {
      pid = Number(p[1]);
      line = line.slice(p[0].length);
    }
    const st = STAMP.exec(line);
    if (st !== null) {
      if (treeLines === 0) stamped = true;
      if (stamped) at = Date.parse(st[1]) * 1000;
      line = line.slice(st[0].length);
    }
    const h = HEAD.exec(line);
    if (h === null || h[2].length % 4 !== 0 || h[2].length === 0) {
      if (line.trim() !== "") {
        skipped++;
        if (firstBad === null) firstBad = { no, text: raw };
        if (treeLines === 0 && no >= GIVE_UP_AFTER) notATree(file, firstBad);
      }
      return;
    }
    treeLines++;
    const depth = h[2].length / 4;
    const flow = m.flowOf(pid, Number(h[1]));
    const fs = state(flow);
    let rest = line.slice(h[0].length);
    if (h[3] === "->") {
      // Entry: name [ [METHOD path trace8]] [ <~ g[NN][ origin name]]
      let originFlow = -1;
      let originName: string | undefined;
      const o = ORIGIN.exec(rest);
      if (o !== null) {
        originFlow = m.flowOf(pid, Number(o[1]));
        originName = o[2];
        rest = rest.slice(0, o.index);
      }
      let request: string | undefined;
      if (rest.endsWith("]")) {
        const r = REQUEST.exec(rest);
        if (r !== null) {
          request = r[1];
          rest = rest.slice(0, r.index);
        }
      }
      const nameIdx = m.intern(rest);
      // A handoff arriving: the same call, moved here.
      if (o !== null && fs.arriving.length > 0) {
        const k = fs.arriving.findIndex((s) => m.name[s] === nameIdx);
        if (k !== -1) {
          const s = fs.arriving[k];
          fs.arriving.splice(k, 1);
          fs.open[depth] = s;
          fs.open.length = depth + 1;
          fs.shown = true;
          return;
        }
      }
      const i = m.add(rest, flow, at, depth);
      let parent = depth > 1 && fs.open[depth - 1] !== undefined ? fs.open[depth - 1] : -1;
      // A request's first flow starts a trace: its origin (the code that created the server) is a link, not a caller.
      if (parent === -1 && originFlow !== -1 && !(request !== undefined && !fs.shown)) {
        const os = state(originFlow);
        for (let d = os.open.length - 1; d >= 1 && originName !== undefined; d--) {
          const s = os.open[d];
          if (s !== undefined && s !== -1 && m.nameOf(s) === originName) {
            parent = s;
            break;
          }
        }
        if (parent === -1 && originName !== undefined) parent = os.lastByName.get(m.intern(originName)) ?? -1;
      }
      m.parent[i] = parent;
      if (!fs.shown) {
        fs.shown = true;
        const f = m.flows[flow];
        if (request !== undefined) {
          f.request = request.slice(0, request.length - 9);
          f.traceId = request.slice(request.length - 8);
        }
      }
      fs.open[depth] = i;
      fs.open.length = depth + 1;
      return;
    }
    // Exit: name [ duration][ !error] | name ~> g[NN]
    const top = fs.open[depth];
    if (top === undefined || top === -1 || !rest.startsWith(m.nameOf(top))) {
      ignoredExits++;
      return;
    }
    const suffix = rest.slice(m.nameOf(top).length);
    const ho = HANDOFF.exec(suffix);
    if (ho !== null && ho.index === 0) {
      state(m.flowOf(pid, Number(ho[1]))).arriving.push(top);
      fs.open.length = depth;
      return;
    }
    // Deeper calls still open lost their exit lines (a stack overflow): close them here.
    for (let d = fs.open.length - 1; d > depth; d--) {
      const s = fs.open[d];
      if (s !== undefined && s !== -1) {
        m.flags[s] |= FLAG_UNFINISHED;
        close(s, at);
      }
    }
    let tail = suffix;
    const du = DURATION.exec(tail);
    if (du !== null) {
      const v = Number(du[1]);
      m.dur[top] = du[2] === "µs" ? v : du[2] === "ms" ? v * 1000 : v * 1_000_000;
      tail = tail.slice(du[0].length);
    }
    if (tail.startsWith(" !")) {
      m.flags[top] |= FLAG_FAILED;
      m.error[top] = m.intern(tail.slice(2));
    } else if (tail !== "") {
      ignoredExits++;
    }
    close(top, at);
    fs.lastByName.set(m.name[top], top);
    fs.open.length = depth;
  });
  if (treeLines === 0) notATree(file, firstBad);
  // Calls still open at the end of the input.
  for (const fs of flows) {
    if (fs === undefined) continue;
    for (const s of fs.open) if (s !== undefined && s !== -1) m.flags[s] |= FLAG_UNFINISHED;
  }
  if (stamped) m.source = { file, format: "tree", timeUnit: "us" };
  m.skippedLines = skipped;
  m.firstSkipped = firstBad === null ? undefined : (firstBad as { no: number }).no;
  m.ignoredExits = ignoredExits;
  return m;
}

function notATree(file: string, bad: { no: number; text: string } | null): never {
  if (bad === null) throw new TraceInputError(file, 0, "empty input: not a functrace recording");
  const text = bad.text.length > 60 ? bad.text.slice(0, 57) + "..." : bad.text;
  throw new TraceInputError(file, bad.no, `not a functrace tree line (expected "g[NN]:    ->name"), nor a Chrome trace: ${JSON.stringify(text)}`);
}
