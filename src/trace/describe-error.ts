const MAX = 120;

/**
 * A thrown value in one short line, for the tree printer and the Chrome file: `TypeError: msg`
 * for an Error, the value itself otherwise. Reads only what an Error has and never throws
 * (a hostile getter or a Proxy gives `<unprintable>`).
 */
export function describeError(error: unknown): string {
  let text: string;
  try {
    if (error instanceof Error) {
      const name = typeof error.name === "string" && error.name !== "" ? error.name : "Error";
      const message = typeof error.message === "string" ? error.message : "";
      text = message === "" ? name : `${name}: ${message}`;
    } else if (typeof error === "string") {
      text = JSON.stringify(error.length > MAX ? error.slice(0, MAX) : error);
    } else {
      text = String(error);
    }
  } catch {
    return "<unprintable>";
  }
  return oneLine(text.length <= MAX ? text : text.slice(0, MAX - 1) + "…");
}

/**
 * Whitespace runs as one space, by hand: no regular expression, because this runs at the bottom
 * of deep stacks too, where V8 cannot even compile one ("Invalid regular expression: Stack overflow").
 */
function oneLine(text: string): string {
  let out = "";
  let space = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12) {
      if (!space) out += " ";
      space = true;
    } else {
      out += text[i];
      space = false;
    }
  }
  return out;
}
