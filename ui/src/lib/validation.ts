// The same rules the Rust side applies to settings, checked before anything is sent.
import type { Cloud } from "../platform";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A DNS name: at least two labels of letters, digits and hyphens (not at either end), ending
// with a top-level domain of letters, at most 253 characters.
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const TLD = /^[a-z]{2,63}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value.trim());
}

export function isDomainName(value: string): boolean {
  const v = value.trim();
  if (v.length === 0 || v.length > 253) return false;
  const labels = v.split(".");
  if (labels.length < 2) return false;
  return labels.every((l) => LABEL.test(l)) && TLD.test(labels[labels.length - 1]);
}

const EXAMPLE_GUID = "00000000-0000-0000-0000-000000000000";

function common(v: string, what: string): string | undefined {
  if (v === "") return `Enter the ${what}.`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return `Paste only the ${what}, not a web address.`;
  if (/\s/.test(v)) return `The ${what} can't contain spaces.`;
  if (/^\{.*\}$/.test(v)) return `Leave out the braces: use the ${what} as ${EXAMPLE_GUID}.`;
  return undefined;
}

/** Why the directory (tenant) id is not acceptable, or undefined when it is. */
export function tenantIdProblem(raw: string): string | undefined {
  const v = raw.trim();
  const what = "Directory (tenant) ID";
  const c = common(v, what);
  if (c) return c;
  if (isGuid(v) || isDomainName(v)) return undefined;
  if (/^[0-9a-f-]+$/i.test(v) && v.includes("-"))
    return `This looks like an incomplete ID. A ${what} has 32 hexadecimal digits, like ${EXAMPLE_GUID}.`;
  if (v.includes("@")) return "Enter the domain only (the part after @), like contoso.onmicrosoft.com.";
  return `Enter a ${what} like ${EXAMPLE_GUID}, or a verified domain like contoso.onmicrosoft.com.`;
}

/** Why the application (client) id is not acceptable, or undefined when it is. */
export function clientIdProblem(raw: string): string | undefined {
  const v = raw.trim();
  const what = "Application (client) ID";
  const c = common(v, what);
  if (c) return c;
  if (isGuid(v)) return undefined;
  if (isDomainName(v)) return `The ${what} is a GUID, not a domain name. Copy it from the app registration's Overview page.`;
  return `The ${what} is a GUID like ${EXAMPLE_GUID}. Copy it from the app registration's Overview page.`;
}

const LOGIN_HOST: Record<Cloud, string> = {
  public: "https://login.microsoftonline.com",
  usGov: "https://login.microsoftonline.com",
  usGovHigh: "https://login.microsoftonline.us",
  usGovDod: "https://login.microsoftonline.us",
  china: "https://login.chinacloudapi.cn",
};

/** The admin-consent link for the typed values, or undefined while either is invalid. */
export function adminConsentUrl(tenant: string, client: string, cloud: Cloud): string | undefined {
  const t = tenant.trim();
  const c = client.trim();
  if (tenantIdProblem(t) || clientIdProblem(c)) return undefined;
  return `${LOGIN_HOST[cloud]}/${encodeURIComponent(t)}/adminconsent?client_id=${encodeURIComponent(c)}`;
}
