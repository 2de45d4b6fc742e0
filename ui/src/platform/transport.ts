// `call` and `subscribe`, typed by the generated `Commands` and `Events` maps, over the
// transport of where the UI runs: Tauri IPC inside the desktop app (and in vitest, which
// mocks `@tauri-apps/*`), the dev web host in a plain browser.
import type { Commands, Events } from "./bindings/surface";
import { toApiError } from "./errors";
import { tauriTransport } from "./tauri";
import { webTransport } from "./web";

export interface Transport {
  invoke(name: string, args?: Record<string, unknown>): Promise<unknown>;
  listen(event: string, cb: (payload: unknown) => void): Promise<() => void>;
}

let web: Transport | undefined;
function transport(): Transport {
  if (typeof window === "undefined" || "__TAURI_INTERNALS__" in window) return tauriTransport;
  if (import.meta.env.MODE === "test") return tauriTransport;
  web ??= webTransport();
  return web;
}

/** Runs a declared command; rejects with an ApiError. */
export async function call<K extends keyof Commands>(
  name: K,
  args?: Commands[K]["args"],
): Promise<Commands[K]["response"]> {
  // Arguments left out are not sent at all, as Tauri's own optional arguments.
  const sent = Object.fromEntries(Object.entries(args ?? {}).filter(([, v]) => v !== undefined));
  try {
    return (await transport().invoke(name, Object.keys(sent).length ? sent : undefined)) as Commands[K]["response"];
  } catch (e) {
    throw toApiError(e);
  }
}

/** Follows a declared event; resolves to the unsubscribe function. */
export async function subscribe<K extends keyof Events>(event: K, cb: (payload: Events[K]) => void): Promise<() => void> {
  try {
    return await transport().listen(event, (p) => cb(p as Events[K]));
  } catch (e) {
    throw toApiError(e);
  }
}
