import { render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { App, askSessionFirst, makeQueryClient } from "../App";
import * as platform from "../platform";
import { SESSION } from "../lib/queryKeys";
import { deferred, emptySettings, signedOut } from "./helpers";
import type { SessionState } from "../platform";

vi.mock("../platform", async (importOriginal) =>
  (await import("./mockPlatform")).platformMock(importOriginal as () => Promise<typeof import("../platform")>),
);

const p = vi.mocked(platform);

beforeEach(() => {
  p.getSettings.mockResolvedValue(emptySettings);
});

describe("start-up", () => {
  it("asks the session before the first render, so the first screen is the sign-in page, not a spinner", async () => {
    p.session.mockResolvedValue(signedOut());
    const client = makeQueryClient();
    await askSessionFirst(client, 1_000);

    expect(client.getQueryData(SESSION)).toEqual(signedOut());
    render(<App queryClient={client} />);
    // Synchronously, on the first render: nothing to wait for.
    expect(screen.getByTestId("signin-demo")).toBeInTheDocument();
    expect(screen.queryByText("Starting Elevate…")).not.toBeInTheDocument();
    expect(p.session).toHaveBeenCalledTimes(1);
  });

  it("does not wait past its limit for a slow session: the spinner shows, then the answer, asked once", async () => {
    const slow = deferred<SessionState>();
    p.session.mockReturnValue(slow.promise);
    const client = makeQueryClient();
    await askSessionFirst(client, 10);

    expect(client.getQueryData(SESSION)).toBeUndefined();
    render(<App queryClient={client} />);
    expect(screen.getByText("Starting Elevate…")).toBeInTheDocument();
    slow.resolve(signedOut());
    expect(await screen.findByTestId("signin-demo")).toBeInTheDocument();
    // The render joined the request already under way.
    expect(p.session).toHaveBeenCalledTimes(1);
  });
});
