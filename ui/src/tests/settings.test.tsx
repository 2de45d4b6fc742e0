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
    p.saveSettings.mockImplementation(async (input) => ({ ...input, managed: false }));
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
    });
    expect(await screen.findByTestId("settings-saved")).toHaveTextContent("Settings saved.");
    // The session is read again so the sign-in screen knows the organization is set up.
    expect(p.session.mock.calls.length).toBeGreaterThanOrEqual(2);
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
    });
    await openSettings();
    expect(screen.getByText("These settings are managed by your IT department.")).toBeInTheDocument();
    expect(screen.getByTestId("settings-tenant")).toHaveAttribute("readonly");
    expect(screen.getByTestId("settings-client")).toHaveAttribute("readonly");
    expect(screen.queryByTestId("settings-save")).not.toBeInTheDocument();
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
