import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { resetClientState, slot } from "../lib/clientState";
import { ENVIRONMENTS, MY_ROLES, SESSION, SETTINGS, forgetAccount } from "../lib/queryKeys";

describe("client state and sign-out", () => {
  it("keeps a slot's value until reset, and tells its readers once a tick", async () => {
    const s = slot({ count: 0 });
    const seen: number[] = [];
    const off = s.subscribe(() => seen.push(s.get().count));
    const tick = () => new Promise((r) => setTimeout(r, 0));
    s.set((v) => ({ count: v.count + 1 }));
    s.set({ count: 5 });
    expect(s.get()).toEqual({ count: 5 });
    expect(seen).toEqual([]);
    await tick();
    expect(seen).toEqual([5]);
    resetClientState();
    expect(s.get()).toEqual({ count: 0 });
    await tick();
    expect(seen).toEqual([5, 0]);
    off();
  });

  it("forgets the account's queries and all client state in one call, keeping the session and settings", () => {
    const qc = new QueryClient();
    const selection = slot<ReadonlySet<string>>(new Set());
    selection.set(new Set(["env|user|role"]));
    qc.setQueryData(ENVIRONMENTS, { environments: [] });
    qc.setQueryData(MY_ROLES, { eligible: [] });
    qc.setQueryData(SESSION, { account: null });
    qc.setQueryData(SETTINGS, { tenantId: "contoso" });
    forgetAccount(qc);
    expect(selection.get().size).toBe(0);
    expect(qc.getQueryData(ENVIRONMENTS)).toBeUndefined();
    expect(qc.getQueryData(MY_ROLES)).toBeUndefined();
    expect(qc.getQueryData(SESSION)).toEqual({ account: null });
    expect(qc.getQueryData(SETTINGS)).toEqual({ tenantId: "contoso" });
  });
});
