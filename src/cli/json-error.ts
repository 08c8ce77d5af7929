/**
 * The offset of the first JSON syntax error in `text` (or -1 when it is valid JSON): V8's
 * JSON.parse does not always say where (Node 20), and an error must name its line. A small
 * iterative scanner (no recursion: deep nesting cannot overflow the stack), run only on error.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  const stack: number[] = []; // 0 array, 1 object
  const ws = (): void => {
    while (i < n && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) i++;
  };
  const str = (): boolean => {
    if (text[i] !== '"') return false;
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) return false;
          i += 5;
        } else if ('"\\/bfnrt'.includes(text[i] ?? "x")) i++;
        else return false;
      } else i++;
    }
    return false;
  };
  const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
  // value: returns false on error (i at the error); true when a value was read, or a container opened.
  const value = (): boolean => {
    ws();
    const c = text[i];
    if (c === "{" || c === "[") {
      stack.push(c === "[" ? 0 : 1);
      i++;
      ws();
      if (text[i] === (c === "[" ? "]" : "}")) {
        stack.pop();
        i++;
        return true;
      }
      if (c === "{") {
        if (!str()) return false;
        ws();
        if (text[i] !== ":") return false;
        i++;
        return value();
      }
      return value();
    }
    if (c === '"') return str();
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return true;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null || m[0] === "") return false;
    i += m[0].length;
    return true;
  };
  if (!value()) return i;
  for (;;) {
    ws();
    if (stack.length === 0) return i === n ? -1 : i;
    const top = stack[stack.length - 1];
    if (text[i] === ",") {
      i++;
      if (top === 1) {
        ws();
        if (!str()) return i;
        ws();
        if (text[i] !== ":") return i;
        i++;
      }
      if (!value()) return i;
    } else if (text[i] === (top === 0 ? "]" : "}")) {
      i++;
      stack.pop();
    } else {
      return i;
    }
  }
}
