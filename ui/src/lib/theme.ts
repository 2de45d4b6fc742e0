import { teamsHighContrastTheme, webDarkTheme, webLightTheme, type Theme } from "@fluentui/react-components";
import { useEffect, useState, useSyncExternalStore } from "react";

export type ThemeName = "light" | "dark" | "highContrast";
/** What the person chose in Settings → Appearance; `system` follows the OS. */
export type Appearance = "system" | ThemeName;

const DARK = "(prefers-color-scheme: dark)";
const FORCED = "(forced-colors: active)";
/** Kept in the webview's own storage: a look, not a setting IT manages or Rust needs. */
export const APPEARANCE_KEY = "elevate.appearance";
const CHOICES: readonly Appearance[] = ["system", "light", "dark", "highContrast"];

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

const listeners = new Set<() => void>();

export function getAppearance(): Appearance {
  try {
    const v = window.localStorage.getItem(APPEARANCE_KEY);
    return CHOICES.includes(v as Appearance) ? (v as Appearance) : "system";
  } catch {
    return "system";
  }
}

export function setAppearance(a: Appearance): void {
  try {
    if (a === "system") window.localStorage.removeItem(APPEARANCE_KEY);
    else window.localStorage.setItem(APPEARANCE_KEY, a);
  } catch {
    // Storage refused (private mode): the choice lasts until the app closes.
    memory = a;
  }
  listeners.forEach((l) => l());
}

let memory: Appearance | undefined;

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useAppearance(): Appearance {
  return useSyncExternalStore(subscribe, () => memory ?? getAppearance());
}

/** The OS's theme (light, dark or high contrast), following changes live. */
export function useOsTheme(): ThemeName {
  const [name, setName] = useState<ThemeName>(currentThemeName);
  useEffect(() => {
    const lists = [query(DARK), query(FORCED)].filter((l): l is MediaQueryList => !!l);
    const update = () => setName(currentThemeName());
    lists.forEach((l) => l.addEventListener("change", update));
    update();
    return () => lists.forEach((l) => l.removeEventListener("change", update));
  }, []);
  return name;
}

/** The theme to draw with: the person's choice, or the OS's when they chose System. */
export function useAppTheme(): { name: ThemeName; theme: Theme } {
  const os = useOsTheme();
  const appearance = useAppearance();
  const name = appearance === "system" ? os : appearance;
  return { name, theme: THEMES[name] };
}
