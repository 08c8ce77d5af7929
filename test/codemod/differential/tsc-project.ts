// A small real TypeScript project for the instrumented-compiler test: classes, generics, enums,
// namespaces, overloads, experimental decorators with emitted metadata, JSX, async/generators
// downlevelled to ES2017/ES2015, declarations and source maps, and one file with deliberate type
// errors (so the diagnostics are compared too). Kept as strings so the repository's own
// tsconfig and lint never see it.

/** tsconfig.json of the project. */
export const TSCONFIG = JSON.stringify(
  {
    compilerOptions: {
      target: "ES2015",
      module: "commonjs",
      strict: true,
      jsx: "react",
      jsxFactory: "h",
      jsxFragmentFactory: "Fragment",
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      declaration: true,
      declarationMap: true,
      sourceMap: true,
      pretty: false,
      lib: ["ES2020", "DOM"],
    },
    include: ["src"],
  },
  null,
  2,
);

const SHAPES = `
export const enum Axis { X, Y, Z = 10 }
export enum Color { Red = "red", Green = "green", Blue = Red.length }
export interface Shape { readonly kind: string; area(): number; }
export type Kinds<T extends Shape[]> = { [K in keyof T]: T[K] extends { kind: infer N } ? N : never };
export type Getter<T> = { [K in keyof T as \`get\${Capitalize<string & K>}\`]: () => T[K] };

export abstract class Base implements Shape {
  static count = 0;
  static { Base.count = 100; }
  #secret = 42;
  protected constructor(public readonly kind: string) { Base.count++; }
  abstract area(): number;
  get secret(): number { return this.#secret; }
  describe(): string { return \`\${this.kind}(\${this.area().toFixed(2)})\`; }
}

export class Circle extends Base {
  constructor(private r: number) { super("circle"); }
  area(): number { return Math.PI * this.r ** 2; }
}

export class Rect extends Base {
  constructor(readonly w: number, readonly h = w) { super("rect"); }
  area() { return this.w * this.h; }
  override describe(): string { return "[" + super.describe() + "]"; }
}

export function largest<T extends Shape>(items: readonly T[]): T | undefined;
export function largest<T extends Shape>(items: readonly T[], by: (s: T) => number): T | undefined;
export function largest<T extends Shape>(items: readonly T[], by: (s: T) => number = (s) => s.area()): T | undefined {
  return items.reduce<T | undefined>((best, s) => (best === undefined || by(s) > by(best) ? s : best), undefined);
}

export namespace Geometry {
  export const origin = { x: 0, y: 0 } as const;
  export function distance(a: { x: number; y: number }, b = origin): number { return Math.hypot(a.x - b.x, a.y - b.y); }
  export namespace Deep { export const axis = Axis.Z; }
}

export class Registry<K extends string | number, V> implements Iterable<[K, V]> {
  private items = new Map<K, V>();
  set(key: K, value: V): this { this.items.set(key, value); return this; }
  get(key: K): V | undefined { return this.items.get(key) ?? undefined; }
  *[Symbol.iterator](): Iterator<[K, V]> { yield* this.items; }
}
`;

const DECORATORS = `
import "./metadata";
import { Color } from "./shapes";

function logged(prefix: string): MethodDecorator {
  return (target, key, descriptor: PropertyDescriptor) => {
    const original = descriptor.value;
    descriptor.value = function (this: unknown, ...args: unknown[]) { return prefix + String(original.apply(this, args)); };
    return descriptor;
  };
}
function sealed<T extends { new (...args: any[]): object }>(ctor: T): T { Object.seal(ctor); return ctor; }
function field(target: object, key: string | symbol): void { void target; void key; }
function param(target: object, key: string | symbol | undefined, index: number): void { void target; void key; void index; }

@sealed
export class Service {
  @field name: string = "svc";
  @field color: Color = Color.Green;
  constructor(@param private readonly port: number, public tags: string[] = []) {}
  @logged("> ")
  greet(@param who: string, times?: number): string { return \`hi \${who} x\${times ?? 1} on \${this.port}\`; }
  @logged("# ") static create(port: number): Service { return new Service(port); }
}
`;

const METADATA = `
declare global { namespace Reflect { function metadata(k: unknown, v: unknown): (t: object, p?: string | symbol) => void; } }
(Reflect as any).metadata ??= () => () => undefined;
export {};
`;

const VIEW = `
type Child = string | number | Node | null;
interface Node { tag: string; props: Record<string, unknown> | null; children: Child[]; }
export function h(tag: string | ((p: any) => Node), props: Record<string, unknown> | null, ...children: Child[]): Node {
  return typeof tag === "function" ? tag({ ...props, children }) : { tag, props, children };
}
export function Fragment(props: { children?: Child[] }): Node { return { tag: "#fragment", props: null, children: props.children ?? [] }; }
declare global { namespace JSX { interface IntrinsicElements { [name: string]: any; } type Element = Node; } }

const Item = ({ label, children }: { label: string; children?: Child[] }) => <li class="item" data-label={label}>{label}{children}</li>;

export function List<T>({ items, render }: { items: T[]; render: (t: T, i: number) => string }) {
  return (
    <ul id="list">
      {items.map((t, i) => <Item label={render(t, i)}>{i % 2 === 0 ? <b>even</b> : null}</Item>)}
      <>fragment {items.length}</>
    </ul>
  );
}
`;

const FLOW = `
import { Circle, Rect, largest, Registry, Geometry, Axis } from "./shapes";

export async function load(n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await Promise.resolve(i * 2));
  try { await Promise.reject(new Error("x")); } catch { out.push(-1); } finally { out.push(-2); }
  return out;
}

export function* fib(limit: number): Generator<number, string, boolean | undefined> {
  let [a, b] = [0, 1];
  while (a < limit) { const stop = yield a; if (stop) return "stopped"; [a, b] = [b, a + b]; }
  return "done";
}

export async function* ticks(n: number) { for (let i = 0; i < n; i++) yield await Promise.resolve(i); }

export async function main(): Promise<string> {
  const seen: number[] = [];
  for await (const t of ticks(3)) seen.push(t);
  const shapes = [new Circle(1), new Rect(2, 3), new Rect(4)];
  const reg = new Registry<string, number>().set("a", 1).set("b", 2);
  const { kind, ...rest } = { kind: "k", x: 1, y: 2 };
  return JSON.stringify({ seen, big: largest(shapes)?.describe(), all: [...reg], d: Geometry.distance({ x: 3, y: 4 }), axis: Axis.Z, kind, rest, fib: [...fib(50)], loaded: await load(3) });
}
`;

const BROKEN = `
import { Rect } from "./shapes";
export const wrong: number = "not a number";
export function missing(r: Rect): string { return r.perimeter(); }
const unused = new Rect(1, 2, 3);
export let implicit = (x) => x;
`;

/** The project's files, by path relative to its folder. */
export const FILES: Record<string, string> = {
  "tsconfig.json": TSCONFIG,
  "src/shapes.ts": SHAPES,
  "src/decorators.ts": DECORATORS,
  "src/metadata.ts": METADATA,
  "src/view.tsx": VIEW,
  "src/flow.ts": FLOW,
  "src/broken.ts": BROKEN,
};
