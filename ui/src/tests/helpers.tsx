import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App, makeQueryClient } from "../App";
import type { Account, HomeSummary, SessionState, Settings } from "../platform";

export const demoAccount: Account = {
  name: "Adele Vance",
  upn: "adele.vance@demo.elevate.test",
  tenantId: "8d1c3b2a-5f4e-4a7b-9c6d-1e2f3a4b5c6d",
  kind: "demo",
};

export function signedOut(over: Partial<SessionState> = {}): SessionState {
  return {
    account: null,
    storage: "encrypted",
    organizationConfigured: false,
    demo: null,
    notice: null,
    deviceCodeAllowed: false,
    ...over,
  };
}

export function signedIn(over: Partial<SessionState> = {}): SessionState {
  return {
    account: demoAccount,
    storage: "encrypted",
    organizationConfigured: false,
    demo: { baseUrl: "http://127.0.0.1:49152" },
    notice: null,
    deviceCodeAllowed: false,
    ...over,
  };
}

export const homeWithRoles: HomeSummary = {
  account: demoAccount,
  activeRoles: [
    { templateId: "11648597-926c-4cf3-9c36-bcebb0ba8dcc", name: "Power Platform Administrator", canSelfElevate: true },
    { templateId: "f2ef992c-3afb-46b9-b7cf-a126ee74c451", name: "Global Reader", canSelfElevate: false },
  ],
};

export const emptySettings: Settings = {
  tenantId: "",
  clientId: "",
  cloud: "public",
  managed: false,
  autoUpdate: true,
  allowDeviceCode: false,
  managedNotice: null,
  proxyUrl: "",
  proxyManaged: false,
};

export function renderApp() {
  const user = userEvent.setup({ delay: null });
  const utils = render(<App queryClient={makeQueryClient()} />);
  return { user, ...utils };
}

/** A promise whose settling the test controls. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
