/// <reference types="node" />
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  activationProblems,
  defaultDuration,
  durationOptions,
  durationWords,
  maxBadge,
  requirementsOf,
  type ActivationField,
  type Requirements,
} from "../lib/roleValidation";
import { policy } from "./rolesFixtures";

// The table the core's own test runs against validate.rs (crates/core/tests/validation_limits.rs).
type Text = string | { repeat: string; times: number } | Text[];
type Case = {
  name: string;
  roles: { name: string; policy: { maxDurationMinutes: number; requiresJustification: boolean; requiresTicket: boolean } | null }[];
  durationMinutes: number;
  justification: Text;
  ticketNumber: Text;
  ticketSystem: Text;
  expect: "ok" | { field: ActivationField; message: string };
};
const CASES: Case[] = JSON.parse(readFileSync(join(__dirname, "../../../crates/core/tests/data/validation_cases.json"), "utf8")).cases;
const text = (t: Text): string => (typeof t === "string" ? t : Array.isArray(t) ? t.map(text).join("") : t.repeat.repeat(t.times));

describe("the validation cases shared with the core", () => {
  it("reads the table", () => expect(CASES.length).toBeGreaterThan(20));
  it.each(CASES.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const roles = c.roles.map((r) => ({ name: r.name, ...(r.policy ? { policy: policy(r.policy) } : {}) }));
    const input = {
      roleIds: c.roles.map((r) => r.name),
      durationMinutes: c.durationMinutes,
      justification: text(c.justification),
      ticketNumber: text(c.ticketNumber),
      ticketSystem: text(c.ticketSystem),
    };
    expect(activationProblems(input, requirementsOf(roles))).toEqual(c.expect === "ok" ? {} : { [c.expect.field]: c.expect.message });
  });
});

const REQ: Requirements = { maxMinutes: 480, minMinutes: 30, justification: true, ticket: true };
const OK = { roleIds: ["r1"], durationMinutes: 60, justification: "Reset a password", ticketNumber: "INC1", ticketSystem: "ServiceNow" };

describe("activation validation (the Rust core's rules)", () => {
  it("accepts a complete input", () => {
    expect(activationProblems(OK, REQ)).toEqual({});
  });

  it("needs at least one role, and no empty role id", () => {
    expect(activationProblems({ ...OK, roleIds: [] }, REQ).roles).toBe("Choose at least one role to activate.");
    expect(activationProblems({ ...OK, roleIds: ["r1", "  "] }, REQ).roles).toMatch(/no ID/);
  });

  it.each([
    [29, /at least 30 minutes/],
    [0, /at least 30 minutes/],
    [-60, /at least/],
    [481, /allows is 8 hours\. Choose a shorter duration\./],
    [60.5, /whole minutes/],
    [Number.NaN, /whole minutes/],
  ])("refuses a duration of %s minutes", (d, reason) => {
    expect(activationProblems({ ...OK, durationMinutes: d }, REQ).duration).toMatch(reason);
  });

  it("accepts the duration boundaries, and a max under 30 minutes as the minimum", () => {
    expect(activationProblems({ ...OK, durationMinutes: 30 }, REQ)).toEqual({});
    expect(activationProblems({ ...OK, durationMinutes: 480 }, REQ)).toEqual({});
    const short = { ...REQ, maxMinutes: 20, minMinutes: 20 };
    expect(activationProblems({ ...OK, durationMinutes: 20 }, short)).toEqual({});
    expect(activationProblems({ ...OK, durationMinutes: 19 }, short).duration).toMatch(/at least 20 minutes/);
    expect(activationProblems({ ...OK, durationMinutes: 21 }, short).duration).toMatch(/allows is 20 minutes/);
  });

  it("requires a justification only when a policy does, trimmed, at most 500 characters", () => {
    expect(activationProblems({ ...OK, justification: "   " }, REQ).justification).toBe(
      "Say what you will do with the role: your organization requires a justification (for example: Reset password, MFA reset, login error investigation).",
    );
    expect(activationProblems({ ...OK, justification: "" }, { ...REQ, justification: false })).toEqual({});
    expect(activationProblems({ ...OK, justification: "a".repeat(500) }, REQ)).toEqual({});
    expect(activationProblems({ ...OK, justification: `  ${"a".repeat(500)}  ` }, REQ)).toEqual({});
    expect(activationProblems({ ...OK, justification: "a".repeat(501) }, REQ).justification).toMatch(/500 characters/);
    // Counted as Rust counts chars: an emoji is one character, not two UTF-16 units.
    expect(activationProblems({ ...OK, justification: "😀".repeat(500) }, REQ)).toEqual({});
    expect(activationProblems({ ...OK, justification: "😀".repeat(501) }, { ...REQ, justification: false }).justification).toMatch(/500/);
  });

  it("requires a ticket number only when a policy does, trimmed, at most 100 characters", () => {
    expect(activationProblems({ ...OK, ticketNumber: " " }, REQ).ticketNumber).toBe(
      "Enter the ticket number of your change or incident: your organization requires one for this role.",
    );
    expect(activationProblems({ ...OK, ticketNumber: "" }, { ...REQ, ticket: false })).toEqual({});
    expect(activationProblems({ ...OK, ticketNumber: "1".repeat(100) }, REQ)).toEqual({});
    expect(activationProblems({ ...OK, ticketNumber: "1".repeat(101) }, REQ).ticketNumber).toMatch(/100 characters/);
  });

  it("limits the ticket system to 100 characters, never requires it", () => {
    expect(activationProblems({ ...OK, ticketSystem: "" }, REQ)).toEqual({});
    expect(activationProblems({ ...OK, ticketSystem: "s".repeat(100) }, REQ)).toEqual({});
    expect(activationProblems({ ...OK, ticketSystem: "s".repeat(101) }, REQ).ticketSystem).toMatch(/100 characters/);
  });

  it("reports every problem at once", () => {
    const p = activationProblems({ roleIds: [], durationMinutes: 0, justification: "", ticketNumber: "", ticketSystem: "x".repeat(101) }, REQ);
    expect(Object.keys(p).sort()).toEqual(["duration", "justification", "roles", "ticketNumber", "ticketSystem"]);
  });
});

describe("requirements of several roles", () => {
  it("takes the strictest policy: the smallest max, any justification or ticket", () => {
    const r = requirementsOf([
      { policy: policy({ maxDurationMinutes: 480, requiresJustification: false }) },
      { policy: policy({ maxDurationMinutes: 120, requiresJustification: false, requiresTicket: true }) },
    ]);
    expect(r).toEqual({ maxMinutes: 120, minMinutes: 30, justification: false, ticket: true });
  });

  it("treats an unreadable policy as 8 hours with a justification and no ticket", () => {
    expect(requirementsOf([{}])).toEqual({ maxMinutes: 480, minMinutes: 30, justification: true, ticket: false });
    expect(requirementsOf([{}, { policy: policy({ maxDurationMinutes: 15, requiresJustification: false }) }])).toEqual({
      maxMinutes: 15,
      minMinutes: 15,
      justification: true,
      ticket: false,
    });
  });
});

describe("durations", () => {
  it("offers half hours up to the max, and the max itself", () => {
    expect(durationOptions(120)).toEqual([
      { value: 30, label: "0.5 hours" },
      { value: 60, label: "1 hour" },
      { value: 90, label: "1.5 hours" },
      { value: 120, label: "2 hours" },
    ]);
    expect(durationOptions(100).map((o) => o.value)).toEqual([30, 60, 90, 100]);
    expect(durationOptions(100).at(-1)?.label).toBe("1 hour 40 minutes");
    expect(durationOptions(20)).toEqual([{ value: 20, label: "20 minutes" }]);
    expect(durationOptions(480)).toHaveLength(16);
  });

  it("defaults to one hour, or the max when it is shorter; a preset's duration when it fits", () => {
    expect(defaultDuration(480)).toBe(60);
    expect(defaultDuration(45)).toBe(45);
    expect(defaultDuration(30)).toBe(30);
    expect(defaultDuration(480, 240)).toBe(240);
    expect(defaultDuration(120, 240)).toBe(120);
    expect(defaultDuration(480, 45)).toBe(60);
  });

  it("words durations like the Rust side", () => {
    expect(durationWords(30)).toBe("30 minutes");
    expect(durationWords(60)).toBe("1 hour");
    expect(durationWords(90)).toBe("1.5 hours");
    expect(durationWords(80)).toBe("1 hour 20 minutes");
    expect(durationWords(480)).toBe("8 hours");
    expect(maxBadge(480)).toBe("Up to 8 h");
    expect(maxBadge(90)).toBe("Up to 1.5 h");
    expect(maxBadge(45)).toBe("Up to 45 min");
    expect(maxBadge(100)).toBe("Up to 1 h 40 min");
  });
});
