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

describe("settings: proxy and connection check", () => {
  it("saves the proxy address typed, trimmed", async () => {
    p.saveSettings.mockImplementation(async (input) => ({ ...emptySettings, ...input }));
    const { user } = await openSettings();
    await user.type(screen.getByTestId("settings-tenant"), "contoso.onmicrosoft.com");
    await user.type(screen.getByTestId("settings-client"), "1b730954-1685-4b74-9bfd-dac224a7b894");
    await user.type(screen.getByTestId("settings-proxy"), " http://proxy.contoso.com:8080 ");
    await user.click(screen.getByTestId("settings-save"));
    expect(p.saveSettings).toHaveBeenCalledWith(
      expect.objectContaining({ proxyUrl: "http://proxy.contoso.com:8080" }),
    );
  });

  it("shows a proxy set by IT as read-only", async () => {
    p.getSettings.mockResolvedValue({ ...emptySettings, proxyUrl: "http://proxy.contoso.com:8080/", proxyManaged: true });
    await openSettings();
    expect(screen.getByTestId("settings-proxy")).toHaveAttribute("readonly");
    expect(screen.getByTestId("settings-proxy")).toHaveValue("http://proxy.contoso.com:8080/");
    expect(screen.getByText("Set by your IT department.")).toBeInTheDocument();
  });

  it("lists each host with a plain-words result, naming the untrusted issuer", async () => {
    p.checkConnectivity.mockResolvedValue({
      proxy: "The proxy set for Elevate: http://proxy.contoso.com:8080/",
      checks: [
        { service: "Sign-in (Microsoft Entra ID)", host: "login.microsoftonline.com", result: "ok", message: "Reachable: login.microsoftonline.com answered." },
        {
          service: "Microsoft Graph (roles and PIM)",
          host: "graph.microsoft.com",
          result: "failed",
          stage: "tls",
          message: "The secure connection to graph.microsoft.com uses a certificate issued by “Contoso TLS Inspection CA”, which this computer does not trust.",
          detail: "invalid peer certificate: UnknownIssuer",
        },
        { service: "Dataverse (one of your environments)", host: "", result: "skipped", message: "Not checked yet: open Environments once." },
      ],
    });
    const { user } = await openSettings();
    await user.click(screen.getByTestId("connection-check"));
    const rows = await screen.findAllByTestId("connection-row");
    expect(rows).toHaveLength(3);
    expect(within(rows[0]!).getByText("Reachable")).toBeInTheDocument();
    expect(within(rows[1]!).getByText("Not reachable: Secure connection")).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent("“Contoso TLS Inspection CA”, which this computer does not trust");
    expect(rows[1]).toHaveTextContent("Details for IT: invalid peer certificate: UnknownIssuer");
    expect(within(rows[2]!).getByText("Not checked")).toBeInTheDocument();
    expect(screen.getByTestId("connection-proxy")).toHaveTextContent("http://proxy.contoso.com:8080/");
    expect(p.checkConnectivity).toHaveBeenCalledTimes(1);
  });

  it("shows an error from the check", async () => {
    p.checkConnectivity.mockRejectedValue({ code: "internal", message: "Elevate could not run the check. Try again." });
    const { user } = await openSettings();
    await user.click(screen.getByTestId("connection-check"));
    expect(await screen.findByTestId("error-bar")).toHaveTextContent("could not run the check");
  });
});
