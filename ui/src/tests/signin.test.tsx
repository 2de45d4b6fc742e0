import { act, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as platform from "../platform";
import type { SessionState, SignInProgress } from "../platform";
import { deferred, emptySettings, homeWithRoles, renderApp, signedIn, signedOut } from "./helpers";

vi.mock("../platform", async (importOriginal) =>
  (await import("./mockPlatform")).platformMock(importOriginal as () => Promise<typeof import("../platform")>),
);

const p = vi.mocked(platform);
let progress: ((e: SignInProgress) => void) | undefined;

beforeEach(() => {
  progress = undefined;
  p.onSignInProgress.mockImplementation(async (cb) => {
    progress = cb;
    return () => {
      progress = undefined;
    };
  });
  p.home.mockResolvedValue(homeWithRoles);
  p.getSettings.mockResolvedValue(emptySettings);
  p.cancelSignIn.mockResolvedValue();
});

describe("sign-in screen", () => {
  it("offers the demo tenant and, without an organization, a disabled org button with the setup link", async () => {
    p.session.mockResolvedValue(signedOut({ organizationConfigured: false }));
    const { user } = renderApp();

    expect(await screen.findByTestId("signin-demo")).toBeEnabled();
    expect(screen.getByText(/Nothing you do there touches a real organization/)).toBeInTheDocument();
    expect(screen.getByTestId("signin-org")).toBeDisabled();
    expect(screen.getByText("Your organization is not set up yet.")).toBeInTheDocument();
    expect(screen.queryByTestId("signin-device")).not.toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Set up your organization" }));
    expect(await screen.findByTestId("settings-tenant")).toBeInTheDocument();
    expect(screen.getByTestId("nav-settings")).toHaveAttribute("aria-current", "page");
  });

  it("offers a device code only when IT's managed configuration allows it", async () => {
    p.session.mockResolvedValue(signedOut({ organizationConfigured: true, deviceCodeAllowed: false }));
    renderApp();
    expect(await screen.findByTestId("signin-org")).toBeEnabled();
    expect(screen.queryByTestId("signin-device")).not.toBeInTheDocument();
  });

  it("enables the org button and the device-code link once the organization is configured", async () => {
    p.session.mockResolvedValue(signedOut({ organizationConfigured: true, deviceCodeAllowed: true }));
    p.signIn.mockReturnValue(new Promise(() => {}));
    const { user } = renderApp();

    expect(await screen.findByTestId("signin-org")).toBeEnabled();
    expect(screen.queryByText("Your organization is not set up yet.")).not.toBeInTheDocument();
    await user.click(screen.getByTestId("signin-device"));
    expect(p.signIn).toHaveBeenCalledWith("organization", "deviceCode");

    act(() =>
      progress?.({
        stage: "waitingForDeviceCode",
        verificationUri: "https://microsoft.com/devicelogin",
        userCode: "F7QK-2WLP",
        message: "…",
      }),
    );
    const panel = screen.getByTestId("signin-waiting");
    expect(within(panel).getByText("F7QK-2WLP")).toBeInTheDocument();
    expect(within(panel).getByText("https://microsoft.com/devicelogin")).toBeInTheDocument();
  });

  it("signs in to the demo tenant: waiting panel, copy link, then Home", async () => {
    p.session.mockResolvedValue(signedOut());
    const pending = deferred<SessionState>();
    p.signIn.mockReturnValue(pending.promise);
    const { user } = renderApp();

    await user.click(await screen.findByTestId("signin-demo"));
    expect(p.signIn).toHaveBeenCalledWith("demo", "browser");

    const panel = screen.getByTestId("signin-waiting");
    expect(within(panel).getByText("Finish signing in in your browser…")).toBeInTheDocument();
    expect(screen.queryByTestId("signin-demo")).not.toBeInTheDocument();
    expect(screen.queryByTestId("signin-copy-link")).not.toBeInTheDocument();

    act(() => progress?.({ stage: "waitingForBrowser", url: "http://127.0.0.1:49152/authorize?x=1" }));
    const copy = screen.getByTestId("signin-copy-link");
    await user.click(copy);
    expect(await navigator.clipboard.readText()).toBe("http://127.0.0.1:49152/authorize?x=1");

    await act(async () => pending.resolve(signedIn()));
    expect(await screen.findByTestId("home-account-name")).toHaveTextContent("Adele Vance");
    expect(screen.queryByTestId("signin-waiting")).not.toBeInTheDocument();
    expect(screen.getByTestId("account-button")).toHaveTextContent("Demo tenant");
  });

  it("shows a failed sign-in with its correlation id and goes back to the buttons; Try again retries", async () => {
    p.session.mockResolvedValue(signedOut());
    p.signIn.mockRejectedValueOnce({
      code: "signInFailed",
      message: "The sign-in did not finish. Try again.",
      correlationId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    });
    const { user } = renderApp();

    await user.click(await screen.findByTestId("signin-demo"));
    const bar = await screen.findByTestId("error-bar");
    expect(bar).toHaveTextContent("The sign-in did not finish. Try again.");
    expect(bar).toHaveTextContent("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    expect(screen.queryByTestId("signin-waiting")).not.toBeInTheDocument();
    expect(screen.queryByRole("progressbar")).not.toBeInTheDocument();
    expect(screen.getByTestId("signin-demo")).toBeEnabled();

    p.signIn.mockReturnValueOnce(new Promise(() => {}));
    await user.click(screen.getByTestId("error-retry"));
    expect(p.signIn).toHaveBeenCalledTimes(2);
    expect(p.signIn).toHaveBeenLastCalledWith("demo", "browser");
    expect(screen.getByTestId("signin-waiting")).toBeInTheDocument();
    expect(screen.queryByTestId("error-bar")).not.toBeInTheDocument();
  });

  it("normalises a non-ApiError rejection into a readable error", async () => {
    p.session.mockResolvedValue(signedOut());
    p.signIn.mockRejectedValueOnce(new Error("socket hang up"));
    const { user } = renderApp();
    await user.click(await screen.findByTestId("signin-demo"));
    expect(await screen.findByTestId("error-bar")).toHaveTextContent("socket hang up");
  });

  it("Cancel calls cancelSignIn and returns to the buttons without an error", async () => {
    p.session.mockResolvedValue(signedOut());
    const pending = deferred<SessionState>();
    p.signIn.mockReturnValue(pending.promise);
    const { user } = renderApp();

    await user.click(await screen.findByTestId("signin-demo"));
    await user.click(screen.getByTestId("signin-cancel"));
    expect(p.cancelSignIn).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId("signin-waiting")).not.toBeInTheDocument();
    expect(screen.getByTestId("signin-demo")).toBeInTheDocument();

    await act(async () => pending.reject({ code: "signInCancelled", message: "Sign-in was cancelled." }));
    await waitFor(() => expect(screen.queryByTestId("error-bar")).not.toBeInTheDocument());
  });

  it("shows the session notice", async () => {
    p.session.mockResolvedValue(signedOut({ notice: "Your saved sign-in could not be read and was removed." }));
    renderApp();
    expect(await screen.findByTestId("notice-bar")).toHaveTextContent("Your saved sign-in could not be read");
  });

  it("signs out from the account menu", async () => {
    p.session.mockResolvedValue(signedIn());
    p.signOut.mockResolvedValue(signedOut());
    const { user } = renderApp();
    await user.click(await screen.findByTestId("account-button"));
    await user.click(await screen.findByTestId("signout"));
    expect(p.signOut).toHaveBeenCalledWith(false);
    expect(await screen.findByTestId("signin-demo")).toBeInTheDocument();
    expect(screen.queryByTestId("account-button")).not.toBeInTheDocument();
  });

  it("can sign out of Microsoft in the browser too", async () => {
    p.session.mockResolvedValue(signedIn());
    p.signOut.mockResolvedValue(signedOut());
    const { user } = renderApp();
    await user.click(await screen.findByTestId("account-button"));
    await user.click(await screen.findByTestId("signout-browser"));
    expect(p.signOut).toHaveBeenCalledWith(true);
    expect(await screen.findByTestId("signin-demo")).toBeInTheDocument();
  });
});
