import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ElevationResults } from "../components/environments/ElevationResults";
import type { Elevation } from "../platform";

const base = {} as const;

describe("Add me results", () => {
  it("tells an accepted but unconfirmed elevation apart from a refusal and from success", () => {
    const results: Elevation[] = [
      { ...base, environmentId: "a", environmentName: "Sales", result: "elevated", message: "You are System Administrator in Sales." },
      {
        ...base,
        environmentId: "b",
        environmentName: "Finance",
        result: "unconfirmed",
        message: "Microsoft accepted the request, but you are not System Administrator in Finance yet.",
        correlationId: "7d0c1f4e-2b1a-4c55-9b7e-3a1f0e2d4c6b",
      },
    ];
    render(
      <FluentProvider theme={webLightTheme}>
        <ElevationResults results={results} />
      </FluentProvider>,
    );
    expect(screen.getByTestId("addme-result-counts")).toHaveTextContent("1 added, 1 not confirmed yet");
    const finance = screen.getAllByTestId("elevation-row").find((r) => r.dataset.envId === "b")!;
    expect(finance).toHaveAttribute("data-result", "unconfirmed");
    expect(within(finance).getByText("Not confirmed yet")).toBeInTheDocument();
    expect(within(finance).getByText(/7d0c1f4e-2b1a-4c55-9b7e-3a1f0e2d4c6b/)).toBeInTheDocument();
    expect(screen.queryByText("Refused")).not.toBeInTheDocument();
  });
});
