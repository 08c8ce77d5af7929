/** google.rpc.Code values used by Check/Quota results (subset names kept complete for messages). */
export enum StatusCode {
  OK = 0,
  CANCELLED = 1,
  UNKNOWN = 2,
  INVALID_ARGUMENT = 3,
  DEADLINE_EXCEEDED = 4,
  NOT_FOUND = 5,
  ALREADY_EXISTS = 6,
  PERMISSION_DENIED = 7,
  RESOURCE_EXHAUSTED = 8,
  FAILED_PRECONDITION = 9,
  ABORTED = 10,
  OUT_OF_RANGE = 11,
  UNIMPLEMENTED = 12,
  INTERNAL = 13,
  UNAVAILABLE = 14,
  DATA_LOSS = 15,
  UNAUTHENTICATED = 16,
}

/** A google.rpc.Status: code plus an optional human message. */
export interface Status {
  readonly code: StatusCode;
  readonly message?: string;
}

/** The OK status (shared, frozen). */
export const OK_STATUS: Status = Object.freeze({ code: StatusCode.OK });

/** Name of a status code, e.g. `PERMISSION_DENIED`; unknown numbers print as `CODE(n)`. */
export function statusCodeName(code: number): string {
  return StatusCode[code] ?? `CODE(${code})`;
}

/** Parses a status code given as number or name (`"PERMISSION_DENIED"`); undefined when unknown. */
export function parseStatusCode(v: unknown): StatusCode | undefined {
  if (typeof v === "number" && Number.isInteger(v) && StatusCode[v] !== undefined) return v;
  if (typeof v === "string") {
    const c = (StatusCode as unknown as Record<string, number>)[v.toUpperCase()];
    return typeof c === "number" ? c : undefined;
  }
  return undefined;
}

/** `true` when the status is OK (code 0). */
export function isOk(s: Status): boolean {
  return s.code === StatusCode.OK;
}
