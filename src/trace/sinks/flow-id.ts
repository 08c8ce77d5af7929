/** The digits of `g[NN]:`: a flow id, zero-padded to two digits. */

/** How many digits the flow id takes (at least 2). */
export function flowIdWidth(id: number): number {
  let width = 2;
  for (let t = 100; t <= id; t *= 10) width++;
  return width;
}

/** Writes the id's `width` digits at `p` (leading zeros where the id is shorter). */
export function writeFlowId(buf: Uint8Array, p: number, id: number, width: number): void {
  let n = id;
  for (let q = p + width - 1; q >= p; q--) {
    const next = Math.floor(n / 10);
    buf[q] = 48 + n - 10 * next;
    n = next;
  }
}
