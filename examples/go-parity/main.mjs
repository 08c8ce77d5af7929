// The demo of the Go functrace article, ported: two call chains, A1 -> B1 -> C1 -> D and
// A2 -> B2 -> C2 -> D, the second one async with real awaits and started concurrently.
// Run: FUNCTRACE=on node examples/go-parity/main.mjs   (or: npm run demo)
import { trace, traced } from "functrace";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

function A1() {
  const end = trace(); // like Go's `defer functrace.Trace()()`; the name comes from the stack
  try {
    B1();
  } finally {
    end();
  }
}

function B1() {
  const end = trace();
  try {
    C1();
  } finally {
    end();
  }
}

function C1() {
  const end = trace();
  try {
    D();
  } finally {
    end();
  }
}

function D() {
  const end = trace();
  end();
}

// Async functions are traced with traced(): only a wrapper sees them give control back at an await.
const A2 = traced("main.A2", async function A2() {
  await tick();
  await B2();
});
const B2 = traced("main.B2", async function B2() {
  await C2();
});
const C2 = traced("main.C2", async function C2() {
  await tick();
  D();
});

const main = traced("main.main", async function main() {
  const second = A2(); // starts the A2 chain; it suspends at its first await
  A1(); // runs while A2 is pending: a concurrent branch, so a flow of its own
  await second;
});

await main();
