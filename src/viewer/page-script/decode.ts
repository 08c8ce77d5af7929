/**
 * Decoding the embedded spans into the columns `C`: base64, then gzip through the browser's
 * DecompressionStream, then varints (the inverse of `../encode.ts`).
 *
 * One part of the page script's single closure, not a module: see `../page-script.ts`.
 */
export const DECODE_PART = String.raw`
  // ---- decoding: base64 -> gzip (the browser's DecompressionStream) -> varint columns ----
  async function decode() {
    var text = $("ft-data").textContent.trim();
    var bin = atob(text), n = bin.length, u8 = new Uint8Array(n);
    for (var i = 0; i < n; i++) u8[i] = bin.charCodeAt(i);
    var stream = new Blob([u8]).stream().pipeThrough(new DecompressionStream("gzip"));
    var buf = new Uint8Array(await new Response(stream).arrayBuffer());
    var pos = 0, cols = {};
    meta.columns.forEach(function (name) {
      var a = (name === "start" || name === "dur" || name === "realdur") ? new Float64Array(N) : new Int32Array(N);
      for (var k = 0; k < N; k++) {
        var v = 0, mul = 1, b;
        do { b = buf[pos++]; v += (b & 127) * mul; mul *= 128; } while (b >= 128);
        a[k] = v;
      }
      cols[name] = a;
    });
    FLOWS.forEach(function (f) {
      var acc = 0;
      for (var k = f.offset; k < f.offset + f.count; k++) { acc += cols.start[k]; cols.start[k] = acc; }
    });
    var p = cols.parent;
    for (var k = 0; k < N; k++) {
      var v = p[k];
      if (v === 0) { p[k] = -1; continue; }
      var z = v - 1, d = (z % 2 === 1) ? -(z + 1) / 2 : z / 2;
      p[k] = k - d;
    }
    for (var j = 0; j < N; j++) { cols.file[j] -= 1; cols.error[j] -= 1; }
    C = cols;
  }
`;
