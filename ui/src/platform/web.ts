// The browser dev transport (`cargo xtask web`): the same commands as POST /api/<command> to a
// dev-only host running the real core, and the same events from one EventSource on /api/events.
import type { Transport } from "./transport";

/** What the transport uses of an EventSource. */
export interface EventStream {
  addEventListener(name: string, h: (e: MessageEvent<string>) => void): void;
  removeEventListener(name: string, h: (e: MessageEvent<string>) => void): void;
}

export interface WebDeps {
  fetch: typeof fetch;
  EventSource: new (url: string) => EventStream;
}

export function webTransport(
  base = "/api",
  deps: WebDeps = { fetch: (...a) => globalThis.fetch(...a), EventSource: globalThis.EventSource },
): Transport {
  let source: EventStream | undefined;
  return {
    async invoke(name, args) {
      const res = await deps.fetch(`${base}/${name}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(args ?? {}),
      });
      const text = await res.text();
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // Not the host's JSON: the dev server's own error page, or nothing listening.
        throw { code: "network", message: `The dev host did not answer (HTTP ${res.status}). Is \`cargo xtask web\` running?` };
      }
      if (!res.ok) throw body;
      return body;
    },
    async listen(event, cb) {
      source ??= new deps.EventSource(`${base}/events`);
      const handler = (e: MessageEvent<string>) => cb(JSON.parse(e.data));
      source.addEventListener(event, handler);
      return () => source?.removeEventListener(event, handler);
    },
  };
}
