import type { FunctionTarget, SuspendPoint } from "./find-targets.js";
import { closeRank, openRank, type TextEdit } from "./apply-edits.js";
import * as t from "./templates.js";

/** Options that shape the injected text for one file. */
export interface PlanOptions {
  decl: t.DeclKeyword;
  file: string;
}

/** Turn the walk's findings into insertions (pure: no I/O, no AST). */
export function planEdits(functions: FunctionTarget[], points: SuspendPoint[], opts: PlanOptions): TextEdit[] {
  const edits: TextEdit[] = [];
  const ins = (pos: number, text: string, rank: number) => edits.push({ pos, end: pos, text, rank });
  for (const f of functions) {
    const enter = t.enterCall(f.name, opts.file, f.line);
    if (f.form === "concise") {
      ins(f.headPos, t.conciseHead(opts.decl, enter), openRank(f.depth));
      ins(f.tailPos, t.CONCISE_TAIL, closeRank(f.depth));
    } else if (f.headPos === f.tailPos) {
      // Head right at the closing brace (after a semicolon-less directive): one piece, in order.
      ins(f.headPos, t.blockHead(opts.decl, enter) + t.BLOCK_TAIL, openRank(f.depth));
    } else {
      ins(f.headPos, t.blockHead(opts.decl, enter), openRank(f.depth));
      ins(f.tailPos, t.BLOCK_TAIL, closeRank(f.depth));
    }
  }
  for (const p of points) planPoint(p, ins);
  return edits;
}

function planPoint(p: SuspendPoint, ins: (pos: number, text: string, rank: number) => void): void {
  switch (p.type) {
    case "await":
    case "yield":
      ins(p.start, p.unused ? t.UNUSED_OPEN : t.RESUME_OPEN, openRank(p.depth));
      ins(p.operandStart, p.abut ? t.PAREN_OPEN + t.SUSPEND_OPEN : t.SUSPEND_OPEN, openRank(p.depth));
      ins(p.operandEnd, (p.abut ? t.SUSPEND_CLOSE + t.PAREN_CLOSE : t.SUSPEND_CLOSE) + (p.unused ? t.UNUSED_CLOSE : t.RESUME_CLOSE), closeRank(p.depth));
      return;
    case "bare-yield":
      ins(p.start, p.unused ? t.UNUSED_OPEN : t.RESUME_OPEN, openRank(p.depth));
      ins(p.end, t.BARE_SUSPEND + (p.unused ? t.UNUSED_CLOSE : t.RESUME_CLOSE), closeRank(p.depth));
      return;
    case "block-start":
      ins(p.pos, t.RESUME_STMT, openRank(p.depth));
      return;
    case "for-await":
      ins(p.exprStart, p.abut ? t.PAREN_OPEN + t.ITER_OPEN : t.ITER_OPEN, openRank(p.depth));
      ins(p.exprEnd, p.abut ? t.PAREN_CLOSE + t.ITER_CLOSE : t.ITER_CLOSE, closeRank(p.depth));
      ins(p.bodyStart, t.LOOP_BODY_OPEN, openRank(p.depth));
      ins(p.bodyEnd, t.LOOP_BODY_CLOSE, closeRank(p.depth + 1));
      if (p.inList) {
        ins(p.stmtEnd, t.AFTER_LOOP, closeRank(p.depth - 1));
      } else {
        ins(p.stmtStart, t.WRAP_LOOP_OPEN, openRank(p.depth - 1));
        ins(p.stmtEnd, t.WRAP_LOOP_CLOSE, closeRank(p.depth - 1));
      }
      return;
  }
}
