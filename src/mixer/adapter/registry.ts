import type { AdapterInfo } from "./types.js";

const NAME_RE = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Adapters by `compiledAdapter` name. Immutable once created; new adapters (prometheus,
 * statsd, ...) are added by passing their `AdapterInfo` alongside the built-ins.
 */
export class AdapterRegistry {
  private readonly _byName = new Map<string, AdapterInfo>();

  /** Throws on an invalid or duplicate adapter name (a programming error, not config). */
  constructor(infos: readonly AdapterInfo[]) {
    for (const info of infos) {
      if (!NAME_RE.test(info.name)) throw new Error(`invalid adapter name '${info.name}'`);
      if (this._byName.has(info.name)) throw new Error(`adapter '${info.name}' registered twice`);
      this._byName.set(info.name, info);
    }
  }

  /** The adapter named `name`, or `undefined`. */
  getAdapter(name: string): AdapterInfo | undefined {
    return this._byName.get(name);
  }

  /** Registered adapter names, sorted. */
  names(): string[] {
    return [...this._byName.keys()].sort();
  }
}

/** Creates a registry from adapter infos (see `BUILTIN_ADAPTERS`). */
export function createAdapterRegistry(infos: readonly AdapterInfo[]): AdapterRegistry {
  return new AdapterRegistry(infos);
}
