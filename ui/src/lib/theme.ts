import { teamsHighContrastTheme, webDarkTheme, webLightTheme, type Theme } from "@fluentui/react-components";
import { useEffect, useState } from "react";

export type ThemeName = "light" | "dark" | "highContrast";

const DARK = "(prefers-color-scheme: dark)";
const FORCED = "(forced-colors: active)";

function query(q: string): MediaQueryList | undefined {
  return typeof window !== "undefined" && typeof window.matchMedia === "function"
    ? window.matchMedia(q)
    : undefined;
}

export function currentThemeName(): ThemeName {
  if (query(FORCED)?.matches) return "highContrast";
  if (query(DARK)?.matches) return "dark";
  return "light";
}

export const THEMES: Record<ThemeName, Theme> = {
  light: webLightTheme,
  dark: webDarkTheme,
  highContrast: teamsHighContrastTheme,
};

/** The theme the OS asks for (light, dark or high contrast), following changes live. */
export function useOsTheme(): { name: ThemeName; theme: Theme } {
  const [name, setName] = useState<ThemeName>(currentThemeName);
  useEffect(() => {
    const lists = [query(DARK), query(FORCED)].filter((l): l is MediaQueryList => !!l);
    const update = () => setName(currentThemeName());
    lists.forEach((l) => l.addEventListener("change", update));
    update();
    return () => lists.forEach((l) => l.removeEventListener("change", update));
  }, []);
  return { name, theme: THEMES[name] };
}
