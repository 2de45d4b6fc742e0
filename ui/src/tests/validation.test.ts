import { describe, expect, it } from "vitest";
import { adminConsentUrl, clientIdProblem, isDomainName, tenantIdProblem } from "../lib/validation";

describe("settings validation", () => {
  it.each([
    "72f988bf-86f1-41af-91ab-2d7cd011db47",
    "contoso.onmicrosoft.com",
    "fabrikam.com",
    "  contoso.onmicrosoft.com  ",
    "xn--bcher-kva.example",
  ])("accepts tenant %s", (v) => expect(tenantIdProblem(v)).toBeUndefined());

  it.each([
    ["", /^Enter the Directory \(tenant\) ID\.$/],
    ["contoso", /verified domain/],
    ["72f988bf-86f1-41af-91ab", /incomplete/],
    ["admin@contoso.com", /part after @/],
    ["https://login.microsoftonline.com/contoso", /not a web address/],
    ["contoso .com", /spaces/],
    ["-contoso.com", /verified domain/],
    ["contoso.123", /verified domain/],
  ])("refuses tenant %j", (v, reason) => expect(tenantIdProblem(v)).toMatch(reason));

  it("refuses client ids that are not GUIDs, with the reason", () => {
    expect(clientIdProblem("1b730954-1685-4b74-9bfd-dac224a7b894")).toBeUndefined();
    expect(clientIdProblem("")).toBe("Enter the Application (client) ID.");
    expect(clientIdProblem("contoso.onmicrosoft.com")).toMatch(/not a domain name/);
    expect(clientIdProblem("{1b730954-1685-4b74-9bfd-dac224a7b894}")).toMatch(/braces/);
    expect(clientIdProblem("1b730954168564b749bfddac224a7b894")).toMatch(/is a GUID/);
  });

  it("limits domain names", () => {
    expect(isDomainName(`${"a".repeat(64)}.com`)).toBe(false);
    expect(isDomainName("a.b.c.contoso.com")).toBe(true);
  });

  it("builds the admin consent link for the chosen cloud", () => {
    const c = "1b730954-1685-4b74-9bfd-dac224a7b894";
    expect(adminConsentUrl(" contoso.com ", c, "public")).toBe(
      `https://login.microsoftonline.com/contoso.com/adminconsent?client_id=${c}`,
    );
    expect(adminConsentUrl("contoso.com", c, "usGovHigh")).toMatch(/^https:\/\/login\.microsoftonline\.us\//);
    expect(adminConsentUrl("contoso.com", c, "china")).toMatch(/^https:\/\/login\.chinacloudapi\.cn\//);
    // GCC signs in worldwide; DoD with GCC High (contract part 2 §9).
    expect(adminConsentUrl("contoso.com", c, "usGov")).toMatch(/^https:\/\/login\.microsoftonline\.com\//);
    expect(adminConsentUrl("contoso.com", c, "usGovDod")).toMatch(/^https:\/\/login\.microsoftonline\.us\//);
    expect(adminConsentUrl("contoso", c, "public")).toBeUndefined();
  });
});
