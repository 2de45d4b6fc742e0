// Shared factory for vi.mock("../platform"): a vi.fn for every function of the generated
// surface (FUNCTION_NAMES: one per Rust command, one `on…` per event), so the mock cannot
// drift from Rust. Never IPC; toApiError and the name lists stay real.
import { vi } from "vitest";

type Real = typeof import("../platform");

/** Answers the screens need by default; every other command is a bare vi.fn. */
const DEFAULTS = {
  // Every screen sits under the update bar: a development build that does not update itself.
  appInfo: async () => ({ name: "Elevate", version: "0.1.0", build: "debug", os: "linux", updates: "notInThisBuild" as const }),
  checkForUpdate: async () => null,
  // My roles: empty by default, so screens that merely show roles (Home) need no setup.
  myRoles: async () => ({ eligible: [], active: [], requests: [], fetchedAt: "2026-05-01T08:00:00Z" }),
  rolePreferences: async () => ({
    presets: [],
    recentJustifications: [],
    recentTickets: [],
    recentTicketSystems: [],
    expiryWarningMinutes: 10,
  }),
  environments: async () => ({ environments: [], partial: false, fetchedAt: "2026-05-01T08:00:00Z" }),
  openEnvironment: async () => {},
  cancelInventory: async () => {},
  // No earlier clean-up runs by default, so the page needs no setup for them.
  cleanupRuns: async () => [],
} satisfies Partial<Record<Real["FUNCTION_NAMES"][number], (...a: never[]) => unknown>>;

export function mockedFunctions(names: readonly string[]) {
  return Object.fromEntries(
    names.map((name) => {
      const answer = (DEFAULTS as Record<string, (() => unknown) | undefined>)[name];
      // An event subscription hands back its unsubscribe.
      const fn = answer ? vi.fn(answer) : name.startsWith("on") ? vi.fn(async () => () => {}) : vi.fn();
      return [name, fn];
    }),
  );
}

export async function platformMock(importOriginal: () => Promise<Real>) {
  const real = await importOriginal();
  return {
    toApiError: real.toApiError,
    COMMAND_NAMES: real.COMMAND_NAMES,
    EVENT_NAMES: real.EVENT_NAMES,
    FUNCTION_NAMES: real.FUNCTION_NAMES,
    call: vi.fn(),
    subscribe: vi.fn(async () => () => {}),
    ...mockedFunctions(real.FUNCTION_NAMES),
  };
}
