import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as platform from "../platform";
import { emptySettings, renderApp, signedOut } from "./helpers";

vi.mock("../platform", async (importOriginal) =>
  (await import("./mockPlatform")).platformMock(importOriginal as () => Promise<typeof import("../platform")>),
);
const p = vi.mocked(platform);

beforeEach(() => {
  p.session.mockResolvedValue(signedOut());
  p.getSettings.mockResolvedValue(emptySettings);
  p.onSignInProgress.mockResolvedValue(() => {});
  p.appInfo.mockResolvedValue({ name: "Elevate", version: "0.1.0", build: "debug", os: "linux", updates: "notInThisBuild" });
});

async function openSettings() {
  const r = renderApp();
  await r.user.click(await screen.findByTestId("nav-settings"));
  await screen.findByTestId("settings-tenant");
  return r;
}

describe("settings", () => {
  it("refuses a malformed tenant id with the reason and does not save", async () => {
    const { user } = await openSettings();
    await user.type(screen.getByTestId("settings-tenant"), "contoso");
    await user.type(screen.getByTestId("settings-client"), "1b730954-1685-4b74-9bfd-dac224a7b894");
    await user.click(screen.getByTestId("settings-save"));

    expect(
      screen.getByText(/Enter a Directory \(tenant\) ID like .* or a verified domain like contoso\.onmicrosoft\.com\./),
    ).toBeInTheDocument();
    expect(screen.getByTestId("settings-tenant")).toHaveAttribute("aria-invalid", "true");
    expect(p.saveSettings).not.toHaveBeenCalled();
  });

  it("refuses a malformed client id, validating on blur, and does not save", async () => {
    const { user } = await openSettings();
    await user.type(screen.getByTestId("settings-client"), "1b730954-1685-4b74-9bfd");
    await user.tab();
    expect(screen.getByText(/The Application \(client\) ID is a GUID like/)).toBeInTheDocument();

    await user.type(screen.getByTestId("settings-tenant"), "contoso.onmicrosoft.com");
    await user.click(screen.getByTestId("settings-save"));
    expect(p.saveSettings).not.toHaveBeenCalled();
    expect(screen.queryByTestId("settings-saved")).not.toBeInTheDocument();
  });

  it("says why a pasted web address is not an id", async () => {
    const { user } = await openSettings();
    await user.type(screen.getByTestId("settings-tenant"), "https://portal.azure.com/contoso");
    await user.tab();
    expect(screen.getByText("Paste only the Directory (tenant) ID, not a web address.")).toBeInTheDocument();
  });

  it("saves trimmed values and the chosen cloud, then confirms", async () => {
    p.saveSettings.mockImplementation(async (input) => ({ ...emptySettings, ...input }));
    const { user } = await openSettings();
    await user.type(screen.getByTestId("settings-tenant"), "  contoso.onmicrosoft.com ");
    await user.type(screen.getByTestId("settings-client"), " 1B730954-1685-4B74-9BFD-DAC224A7B894\t");
    await user.click(screen.getByTestId("settings-cloud"));
    await user.click(await screen.findByRole("option", { name: "US Government (GCC High)" }));
    await user.click(screen.getByTestId("settings-save"));

    expect(p.saveSettings).toHaveBeenCalledWith({
      tenantId: "contoso.onmicrosoft.com",
      clientId: "1B730954-1685-4B74-9BFD-DAC224A7B894",
      cloud: "usGovHigh",
      proxyUrl: "",
    });
    expect(await screen.findByTestId("settings-saved")).toHaveTextContent("Settings saved.");
    // The session is read again so the sign-in screen knows the organization is set up.
    expect(p.session.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  it("offers every cloud Elevate supports", async () => {
    p.saveSettings.mockImplementation(async (input) => ({ ...emptySettings, ...input }));
    const { user } = await openSettings();
    await user.type(screen.getByTestId("settings-tenant"), "contoso.onmicrosoft.us");
    await user.type(screen.getByTestId("settings-client"), "1b730954-1685-4b74-9bfd-dac224a7b894");
    await user.click(screen.getByTestId("settings-cloud"));
    const names = (await screen.findAllByRole("option")).map((o) => o.textContent);
    expect(names).toEqual([
      "Public",
      "US Government (GCC)",
      "US Government (GCC High)",
      "US Government (DoD)",
      "China (21Vianet)",
    ]);
    await user.click(screen.getByRole("option", { name: "US Government (DoD)" }));
    await user.click(screen.getByTestId("settings-save"));
    expect(p.saveSettings).toHaveBeenCalledWith(expect.objectContaining({ cloud: "usGovDod" }));
  });

  it("builds the admin consent link from valid typed values only", async () => {
    const { user } = await openSettings();
    expect(screen.queryByTestId("settings-consent-url")).not.toBeInTheDocument();
    await user.type(screen.getByTestId("settings-tenant"), "contoso.onmicrosoft.com");
    await user.type(screen.getByTestId("settings-client"), "1b730954-1685-4b74-9bfd-dac224a7b894");
    expect(screen.getByTestId("settings-consent-url")).toHaveTextContent(
      "https://login.microsoftonline.com/contoso.onmicrosoft.com/adminconsent?client_id=1b730954-1685-4b74-9bfd-dac224a7b894",
    );
  });

  it("shows a server error from saveSettings", async () => {
    p.saveSettings.mockRejectedValue({ code: "config", message: "The settings file could not be written.", correlationId: "c-1" });
    const { user } = await openSettings();
    await user.type(screen.getByTestId("settings-tenant"), "72f988bf-86f1-41af-91ab-2d7cd011db47");
    await user.type(screen.getByTestId("settings-client"), "1b730954-1685-4b74-9bfd-dac224a7b894");
    await user.click(screen.getByTestId("settings-save"));
    const bar = await screen.findByTestId("error-bar");
    expect(bar).toHaveTextContent("The settings file could not be written.");
    expect(bar).toHaveTextContent("c-1");
    expect(screen.queryByTestId("settings-saved")).not.toBeInTheDocument();
  });

  it("makes managed settings read-only", async () => {
    p.getSettings.mockResolvedValue({
      tenantId: "contoso.onmicrosoft.com",
      clientId: "1b730954-1685-4b74-9bfd-dac224a7b894",
      cloud: "public",
      managed: true,
      autoUpdate: false,
      allowDeviceCode: false,
      managedNotice: null,
      proxyUrl: "",
      proxyManaged: false,
    });
    await openSettings();
    expect(screen.getByText("These settings are managed by your IT department.")).toBeInTheDocument();
    expect(screen.getByTestId("settings-tenant")).toHaveAttribute("readonly");
    expect(screen.getByTestId("settings-client")).toHaveAttribute("readonly");
    expect(screen.queryByTestId("settings-save")).not.toBeInTheDocument();
  });

  it("says why IT's configuration file was ignored", async () => {
    p.getSettings.mockResolvedValue({
      ...emptySettings,
      managedNotice: "Elevate ignored the configuration file from your IT department (C:\\ProgramData\\Elevate\\managed.json) because your account can change it (only administrators should).",
    });
    await openSettings();
    expect(screen.getByTestId("settings-managed-notice")).toHaveTextContent("your account can change it");
    expect(screen.getByTestId("settings-tenant")).not.toHaveAttribute("readonly");
  });

  it.each([
    ["automatic", "installs it only when you say so"],
    ["managedByIt", "Your IT department updates Elevate"],
    ["notInThisBuild", "does not update itself"],
  ] as const)("says what this copy does about updates (%s)", async (updates, says) => {
    p.appInfo.mockResolvedValue({ name: "Elevate", version: "1.2.3", build: "release", os: "windows", updates });
    p.checkForUpdate.mockResolvedValue(null);
    await openSettings();
    expect(await screen.findByTestId("updates-status")).toHaveTextContent(says);
    expect(screen.getByTestId("updates-version")).toHaveTextContent("Elevate 1.2.3 (release)");
    expect(p.checkForUpdate).toHaveBeenCalledTimes(updates === "automatic" ? 1 : 0);
  });

  it("offers a verified update and installs it only when asked", async () => {
    p.appInfo.mockResolvedValue({ name: "Elevate", version: "1.2.3", build: "release", os: "windows", updates: "automatic" });
    p.checkForUpdate.mockResolvedValue({ version: "1.3.0", notes: null });
    p.installUpdate.mockRejectedValue({ code: "network", message: "Elevate could not install the update. Nothing was changed." });
    const { user } = await openSettings();
    expect(await screen.findByTestId("update-available")).toHaveTextContent("Elevate 1.3.0 is available.");
    expect(p.installUpdate).not.toHaveBeenCalled();
    await user.click(screen.getByTestId("update-install"));
    expect(p.installUpdate).toHaveBeenCalledTimes(1);
    expect(await screen.findByText(/could not install the update/)).toBeInTheDocument();
  });

  it("opens the app registration help through the platform", async () => {
    p.openHelp.mockResolvedValue();
    const { user } = await openSettings();
    const help = screen.getByRole("heading", { name: /Create the app registration/ }).closest("div")!;
    expect(within(help.parentElement!).getByText("RoleAssignmentSchedule.ReadWrite.Directory")).toBeInTheDocument();
    await user.click(screen.getByTestId("settings-learn-more"));
    expect(p.openHelp).toHaveBeenCalledWith("appRegistration");
  });
});
