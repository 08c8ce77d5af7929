/**
 * The TypeScript parser, the codemod's one heavy dependency. `typescript` is an optional peer
 * dependency: a TypeScript project has it already, and a production install of the runtime does
 * not pull it in. bin/functrace-gen.js explains how to get it when it is missing.
 */
import ts from "typescript";

export { ts };
