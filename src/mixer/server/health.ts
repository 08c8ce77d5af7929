/**
 * `grpc.health.v1.Health`: `""` (the server) and `istio.mixer.v1.Mixer` are SERVING until
 * shutdown starts, then NOT_SERVING. Needs no token (probes do not carry one; the answer
 * tells nothing but up or down).
 */
import { status, type ServerUnaryCall, type ServerWritableStream, type sendUnaryData, type UntypedServiceImplementation } from "@grpc/grpc-js";

export enum ServingStatus {
  UNKNOWN = 0,
  SERVING = 1,
  NOT_SERVING = 2,
  SERVICE_UNKNOWN = 3,
}

type Req = { service?: string };
type Res = { status: ServingStatus };

export const HEALTH_SERVICES = Object.freeze(["", "istio.mixer.v1.Mixer"]);

export class HealthState {
  private _status = ServingStatus.SERVING;
  private readonly _watchers = new Set<ServerWritableStream<Req, Res>>();

  get status(): ServingStatus {
    return this._status;
  }

  /** Sets every service's status and tells the watchers; `end` closes their streams. */
  set(s: ServingStatus, end = false): void {
    this._status = s;
    for (const w of this._watchers) {
      if (HEALTH_SERVICES.includes(w.request?.service ?? "")) w.write({ status: s });
      if (end) w.end();
    }
    if (end) this._watchers.clear();
  }

  implementation(): UntypedServiceImplementation {
    return {
      Check: (call: ServerUnaryCall<Req, Res>, cb: sendUnaryData<Res>) => {
        const service = call.request?.service ?? "";
        if (!HEALTH_SERVICES.includes(service)) cb({ code: status.NOT_FOUND, details: `unknown service '${service.slice(0, 200)}'` });
        else cb(null, { status: this._status });
      },
      Watch: (call: ServerWritableStream<Req, Res>) => {
        const known = HEALTH_SERVICES.includes(call.request?.service ?? "");
        call.write({ status: known ? this._status : ServingStatus.SERVICE_UNKNOWN });
        if (this._watchers.size >= 1000) return void call.end();
        this._watchers.add(call);
        call.on("cancelled", () => this._watchers.delete(call));
        call.on("close", () => this._watchers.delete(call));
      },
    };
  }
}
