// The browser dev transport: POST /api/<command> with the IPC arguments as the JSON body, the
// host's ApiError passed through, and events from one EventSource on /api/events.
import { describe, expect, it, vi } from "vitest";

import { webTransport } from "../platform/web";

function reply(status: number, body: string) {
  return vi.fn(async (_url: string, _init?: RequestInit) => new Response(body, { status }));
}

class FakeSource {
  static made: FakeSource[] = [];
  listeners = new Map<string, Set<(e: MessageEvent<string>) => void>>();
  url: string;
  constructor(url: string) {
    this.url = url;
    FakeSource.made.push(this);
  }
  addEventListener(name: string, h: (e: MessageEvent<string>) => void) {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    this.listeners.get(name)!.add(h);
  }
  removeEventListener(name: string, h: (e: MessageEvent<string>) => void) {
    this.listeners.get(name)?.delete(h);
  }
  send(name: string, data: unknown) {
    for (const h of this.listeners.get(name) ?? []) h(new MessageEvent(name, { data: JSON.stringify(data) }));
  }
}

describe("web transport", () => {
  it("posts the command's arguments as JSON to /api/<command> and returns the answer", async () => {
    const fetch = reply(200, JSON.stringify({ signedIn: false }));
    const t = webTransport("/api", { fetch: fetch as unknown as typeof globalThis.fetch, EventSource: FakeSource });
    await expect(t.invoke("sign_in", { kind: "demo", method: "browser" })).resolves.toEqual({ signedIn: false });
    await t.invoke("session");
    expect(fetch.mock.calls[0][0]).toBe("/api/sign_in");
    expect(fetch.mock.calls[0][1]).toMatchObject({ method: "POST", body: JSON.stringify({ kind: "demo", method: "browser" }) });
    expect(fetch.mock.calls[1][1]?.body).toBe("{}");
  });

  it("returns null for a command without an answer", async () => {
    const t = webTransport("/api", { fetch: reply(200, "null") as unknown as typeof fetch, EventSource: FakeSource });
    await expect(t.invoke("cancel_sign_in")).resolves.toBeNull();
  });

  it("rejects with the host's ApiError", async () => {
    const err = { code: "notSignedIn", message: "Sign in first." };
    const t = webTransport("/api", { fetch: reply(401, JSON.stringify(err)) as unknown as typeof fetch, EventSource: FakeSource });
    await expect(t.invoke("my_roles")).rejects.toEqual(err);
  });

  it("says the dev host is not answering when the answer is not its JSON", async () => {
    const t = webTransport("/api", { fetch: reply(502, "<html>Bad gateway</html>") as unknown as typeof fetch, EventSource: FakeSource });
    await expect(t.invoke("session")).rejects.toMatchObject({ code: "network" });
  });

  it("delivers events from one EventSource and stops after unsubscribe", async () => {
    FakeSource.made = [];
    const t = webTransport("/api", { fetch: reply(200, "null") as unknown as typeof fetch, EventSource: FakeSource });
    const seen: unknown[] = [];
    const off = await t.listen("sign-in-progress", (p) => seen.push(p));
    await t.listen("roles-changed", () => {});
    expect(FakeSource.made.map((s) => s.url)).toEqual(["/api/events"]);
    FakeSource.made[0].send("sign-in-progress", { stage: "finishing" });
    off();
    FakeSource.made[0].send("sign-in-progress", { stage: "again" });
    expect(seen).toEqual([{ stage: "finishing" }]);
  });
});
