import {
  Globe20Filled,
  Globe20Regular,
  History20Filled,
  History20Regular,
  Home20Filled,
  Home20Regular,
  PeopleSearch20Filled,
  PeopleSearch20Regular,
  Settings20Filled,
  Settings20Regular,
  ShieldPerson20Filled,
  ShieldPerson20Regular,
  bundleIcon,
  type FluentIcon,
} from "@fluentui/react-icons";
import { lazy, type ComponentType } from "react";
import type { SessionState } from "./platform";
import { HomePage } from "./screens/Home";

// Only Home (which is also the sign-in page) is in the first chunk: start-up loads, parses and
// runs what the first screen needs, and each other screen arrives when it is first opened.
const RolesPage = lazy(() => import("./screens/Roles").then((m) => ({ default: m.RolesPage })));
const EnvironmentsPage = lazy(() => import("./screens/Environments").then((m) => ({ default: m.EnvironmentsPage })));
const InventoryPage = lazy(() => import("./screens/Inventory").then((m) => ({ default: m.InventoryPage })));
const ActivityPage = lazy(() => import("./screens/Activity").then((m) => ({ default: m.ActivityPage })));
const SettingsPage = lazy(() => import("./screens/Settings").then((m) => ({ default: m.SettingsPage })));

export type PageProps = {
  session: SessionState;
  navigate: (page: string) => void;
};

export type NavEntry = {
  /** Also the test id: `nav-{id}`. */
  id: string;
  label: string;
  icon: FluentIcon;
  /** Hidden until someone is signed in. */
  signedInOnly?: boolean;
  Screen: ComponentType<PageProps>;
};

/** The left navigation. Only entries that work now; a new screen is one line here. */
export const NAV: readonly NavEntry[] = [
  { id: "home", label: "Home", icon: bundleIcon(Home20Filled, Home20Regular), Screen: HomePage },
  {
    id: "roles",
    label: "My roles",
    icon: bundleIcon(ShieldPerson20Filled, ShieldPerson20Regular),
    signedInOnly: true,
    Screen: RolesPage,
  },
  {
    id: "environments",
    label: "Environments",
    icon: bundleIcon(Globe20Filled, Globe20Regular),
    signedInOnly: true,
    Screen: EnvironmentsPage,
  },
  {
    id: "inventory",
    label: "System Administrators",
    icon: bundleIcon(PeopleSearch20Filled, PeopleSearch20Regular),
    signedInOnly: true,
    Screen: InventoryPage,
  },
  // Always there: the journal exists before anyone signs in, and an auditor may not sign in.
  { id: "activity", label: "Activity", icon: bundleIcon(History20Filled, History20Regular), Screen: ActivityPage },
  { id: "settings", label: "Settings", icon: bundleIcon(Settings20Filled, Settings20Regular), Screen: SettingsPage },
];
