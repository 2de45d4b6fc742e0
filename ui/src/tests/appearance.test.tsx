import { FluentProvider, webDarkTheme, webLightTheme, teamsHighContrastTheme } from "@fluentui/react-components";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { AppearanceCard } from "../components/settings/Appearance";
import { APPEARANCE_KEY, setAppearance, useAppTheme } from "../lib/theme";

/** The app's root in miniature: the provider draws with whatever theme the hook gives. */
function Root() {
  const { name, theme } = useAppTheme();
  return (
    <FluentProvider theme={theme} data-theme={name}>
      <AppearanceCard />
    </FluentProvider>
  );
}

const drawnWith = () => document.querySelector("[data-theme]")!.getAttribute("data-theme");
/** The provider's CSS variables, as injected into the document. */
const css = () =>
  Array.from(document.querySelectorAll("style"))
    .flatMap((s) => Array.from(s.sheet?.cssRules ?? []).map((r) => r.cssText))
    .join("\n");

afterEach(() => setAppearance("system"));

describe("appearance", () => {
  it("follows the system until the person chooses, then draws with their choice at once", async () => {
    const user = userEvent.setup({ delay: null });
    render(<Root />);
    // jsdom's system is light.
    expect(drawnWith()).toBe("light");
    expect(screen.getByRole("radio", { name: "Same as the system" })).toBeChecked();

    await user.click(screen.getByRole("radio", { name: "Dark" }));
    expect(drawnWith()).toBe("dark");
    expect(css()).toContain(`--colorNeutralBackground1: ${webDarkTheme.colorNeutralBackground1}`);
    expect(localStorage.getItem(APPEARANCE_KEY)).toBe("dark");

    await user.click(screen.getByRole("radio", { name: "High contrast" }));
    expect(drawnWith()).toBe("highContrast");
    expect(css()).toContain(`--colorNeutralBackground1: ${teamsHighContrastTheme.colorNeutralBackground1}`);

    await user.click(screen.getByRole("radio", { name: "Same as the system" }));
    expect(drawnWith()).toBe("light");
    expect(css()).toContain(`--colorNeutralBackground1: ${webLightTheme.colorNeutralBackground1}`);
    expect(localStorage.getItem(APPEARANCE_KEY)).toBeNull();
  });

  it("keeps the choice for the next start, and ignores a value it does not know", () => {
    localStorage.setItem(APPEARANCE_KEY, "dark");
    const first = render(<Root />);
    expect(drawnWith()).toBe("dark");
    expect(screen.getByRole("radio", { name: "Dark" })).toBeChecked();
    first.unmount();

    localStorage.setItem(APPEARANCE_KEY, "sepia");
    render(<Root />);
    expect(drawnWith()).toBe("light");
  });
});
