// Shared factory for vi.mock("../platform"): every platform call is a vi.fn (never IPC);
// toApiError stays real so screens see the same normalisation as in the app.
import { vi } from "vitest";

export async function platformMock(importOriginal: () => Promise<typeof import("../platform")>) {
  const real = await importOriginal();
  return {
    toApiError: real.toApiError,
    // Every screen sits under the update bar: a development build that does not update itself.
    appInfo: vi.fn(async () => ({ name: "Elevate", version: "0.1.0", build: "debug", os: "linux", updates: "notInThisBuild" as const })),
    checkForUpdate: vi.fn(async () => null),
    installUpdate: vi.fn(),
    session: vi.fn(),
    signIn: vi.fn(),
    cancelSignIn: vi.fn(),
    signOut: vi.fn(),
    getSettings: vi.fn(),
    saveSettings: vi.fn(),
    checkConnectivity: vi.fn(),
    home: vi.fn(),
    openHelp: vi.fn(),
    journalEntries: vi.fn(),
    journalVerify: vi.fn(),
    journalExport: vi.fn(),
    onSignInProgress: vi.fn(async () => () => {}),
    // My roles: empty by default, so screens that merely show roles (Home) need no setup.
    myRoles: vi.fn(async () => ({ eligible: [], active: [], requests: [], fetchedAt: "2026-05-01T08:00:00Z" })),
    activateRoles: vi.fn(),
    deactivateRole: vi.fn(),
    extendRole: vi.fn(),
    cancelRequest: vi.fn(),
    rolePreferences: vi.fn(async () => ({
      presets: [],
      recentJustifications: [],
      recentTickets: [],
      recentTicketSystems: [],
      expiryWarningMinutes: 10,
    })),
    saveRolePreferences: vi.fn(),
    onActivationProgress: vi.fn(async () => () => {}),
    onRolesChanged: vi.fn(async () => () => {}),
    environments: vi.fn(async () => ({ environments: [], partial: false, fetchedAt: "2026-05-01T08:00:00Z" })),
    membership: vi.fn(),
    preflight: vi.fn(),
    addMe: vi.fn(),
    openEnvironment: vi.fn(async () => {}),
    onElevationProgress: vi.fn(async () => () => {}),
    inventory: vi.fn(),
    cancelInventory: vi.fn(async () => {}),
    onInventoryProgress: vi.fn(async () => () => {}),
    inventoryExport: vi.fn(),
    importUsersFile: vi.fn(),
    planCleanup: vi.fn(),
    runCleanup: vi.fn(),
    onCleanupProgress: vi.fn(async () => () => {}),
    // No earlier clean-up runs by default, so the page needs no setup for them.
    cleanupRuns: vi.fn(async () => []),
    resumeCleanup: vi.fn(),
    rollbackCleanup: vi.fn(),
  };
}
