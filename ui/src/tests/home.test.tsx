import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as platform from "../platform";
import { demoAccount, homeWithRoles, renderApp, signedIn } from "./helpers";

vi.mock("../platform", async (importOriginal) =>
  (await import("./mockPlatform")).platformMock(importOriginal as () => Promise<typeof import("../platform")>),
);
const p = vi.mocked(platform);

beforeEach(() => {
  p.onSignInProgress.mockResolvedValue(() => {});
});

describe("home", () => {
  it("shows the account and lists the active roles by name", async () => {
    p.session.mockResolvedValue(signedIn());
    p.home.mockResolvedValue(homeWithRoles);
    renderApp();

    expect(await screen.findByTestId("home-account-name")).toHaveTextContent("Adele Vance");
    expect(screen.getByTestId("home-account-upn")).toHaveTextContent(demoAccount.upn);
    expect(screen.getByTestId("home-tenant-id")).toHaveTextContent(demoAccount.tenantId);
    const items = within(screen.getByTestId("home-roles")).getAllByTestId("home-role");
    expect(items.map((i) => i.textContent)).toEqual([
      "Power Platform AdministratorCan self-elevate in Power Platform",
      "Global Reader",
    ]);
    expect(screen.queryByTestId("home-no-roles")).not.toBeInTheDocument();
    expect(screen.queryByTestId("storage-warning")).not.toBeInTheDocument();
    expect(screen.getByText("Demo tenant running at http://127.0.0.1:49152")).toBeInTheDocument();
  });

  it("shows the empty state when no role is active", async () => {
    p.session.mockResolvedValue(signedIn());
    p.home.mockResolvedValue({ account: demoAccount, activeRoles: [] });
    renderApp();
    expect(await screen.findByTestId("home-no-roles")).toHaveTextContent("No admin role is active right now.");
    expect(screen.queryByTestId("home-roles")).not.toBeInTheDocument();
  });

  it("warns when the sign-in is kept in memory only", async () => {
    p.session.mockResolvedValue(signedIn({ storage: "memoryOnly", demo: null }));
    p.home.mockResolvedValue(homeWithRoles);
    renderApp();
    expect(await screen.findByTestId("storage-warning")).toHaveTextContent(
      "Your system's credential store is unavailable, so Elevate keeps your sign-in in memory only. You'll need to sign in again next time.",
    );
    expect(screen.queryByText(/Demo tenant running at/)).not.toBeInTheDocument();
  });

  it("shows a failed load with Retry, and recovers", async () => {
    p.session.mockResolvedValue(signedIn());
    p.home.mockRejectedValueOnce({ code: "network", message: "Elevate can't reach Microsoft.", correlationId: "abc-123" });
    p.home.mockResolvedValueOnce(homeWithRoles);
    const { user } = renderApp();

    const bar = await screen.findByTestId("error-bar");
    expect(bar).toHaveTextContent("Elevate can't reach Microsoft.");
    expect(bar).toHaveTextContent("abc-123");
    await user.click(screen.getByTestId("error-retry"));
    expect(await screen.findAllByTestId("home-role")).toHaveLength(2);
    expect(screen.queryByTestId("error-bar")).not.toBeInTheDocument();
  });

  it("has the landmarks and a nav with only working entries", async () => {
    p.session.mockResolvedValue(signedIn());
    p.home.mockResolvedValue(homeWithRoles);
    renderApp();
    await screen.findByTestId("home-account-name");
    expect(screen.getByRole("banner")).toHaveTextContent("Elevate");
    expect(screen.getByRole("main")).toBeInTheDocument();
    const nav = screen.getByRole("navigation");
    expect(within(nav).getAllByRole("button").map((b) => b.textContent)).toEqual(["Home", "My roles", "Environments", "System Administrators", "Activity", "Settings"]);
    expect(document.title).toBe("Home - Elevate");
  });

  it("marks only the current page as selected in the nav", async () => {
    p.session.mockResolvedValue(signedIn());
    p.home.mockResolvedValue(homeWithRoles);
    const { user } = renderApp();
    await screen.findByTestId("home-account-name");
    const current = () =>
      within(screen.getByRole("navigation"))
        .getAllByRole("button")
        .filter((b) => b.getAttribute("aria-current") === "page")
        .map((b) => b.textContent);
    expect(current()).toEqual(["Home"]);
    await user.click(screen.getByTestId("nav-activity"));
    expect(current()).toEqual(["Activity"]);
    // Navigating from inside a page (Home's "My roles" button) moves the selection too.
    await user.click(screen.getByTestId("nav-home"));
    await user.click(await screen.findByTestId("home-my-roles"));
    expect(current()).toEqual(["My roles"]);
    expect(document.title).toBe("My roles - Elevate");
  });
});
