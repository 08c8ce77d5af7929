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
  text = text.replace(/\s+/g, " ");
  return text.length <= MAX ? text : text.slice(0, MAX - 1) + "…";
}
