import {
  Button,
  Card,
  Dropdown,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  Option,
  Skeleton,
  SkeletonItem,
  Spinner,
  Subtitle2,
  Text,
  Title2,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { CopyButton } from "../components/CopyButton";
import { ErrorBar } from "../components/ErrorBar";
import { AppearanceCard } from "../components/settings/Appearance";
import { ConnectionCheckCard } from "../components/settings/ConnectionCheck";
import { UpdatesCard } from "../components/updates/Updates";
import { SESSION, SETTINGS } from "../lib/queryKeys";
import { adminConsentUrl, clientIdProblem, tenantIdProblem } from "../lib/validation";
import type { PageProps } from "../nav";
import {
  getSettings,
  openHelp,
  saveSettings,
  toApiError,
  type ApiError,
  type Cloud,
  type HelpTopic,
  type Settings,
  type SettingsInput,
} from "../platform";

export const CLOUDS: { value: Cloud; label: string }[] = [
  { value: "public", label: "Public" },
  { value: "usGov", label: "US Government (GCC)" },
  { value: "usGovHigh", label: "US Government (GCC High)" },
  { value: "usGovDod", label: "US Government (DoD)" },
  { value: "china", label: "China (21Vianet)" },
];

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, maxWidth: "1100px" },
  title: { margin: 0 },
  heading: { margin: 0 },
  intro: { color: tokens.colorNeutralForeground2, maxWidth: "720px" },
  layout: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fit, minmax(360px, 1fr))",
    gap: tokens.spacingHorizontalXL,
    alignItems: "start",
  },
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingHorizontalXL, minWidth: 0 },
  card: { padding: tokens.spacingHorizontalXL, gap: tokens.spacingVerticalL },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  actions: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM },
  steps: {
    margin: 0,
    paddingInlineStart: tokens.spacingHorizontalXL,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    lineHeight: tokens.lineHeightBase300,
  },
  perms: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingInlineStart: tokens.spacingHorizontalL },
  code: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusSmall,
    padding: "0 4px",
    overflowWrap: "anywhere",
  },
  consent: {
    display: "flex",
    alignItems: "flex-start",
    gap: tokens.spacingHorizontalXS,
    marginTop: tokens.spacingVerticalXS,
  },
  muted: { color: tokens.colorNeutralForeground2 },
});

export function SettingsPage({ session, navigate }: PageProps) {
  const s = useStyles();
  const q = useQuery<Settings, ApiError>({ queryKey: SETTINGS, queryFn: () => getSettings() });
  return (
    <div className={s.page}>
      <Title2 as="h1" className={s.title}>
        Settings
      </Title2>
      <Text as="p" className={s.intro} style={{ margin: 0 }}>
        To sign in to your organization, Elevate needs to know your directory and the app registration your
        administrator created for it.
      </Text>
      {q.isError ? <ErrorBar error={toApiError(q.error)} onRetry={() => void q.refetch()} /> : null}
      {q.isPending ? (
        <Card className={s.card}>
          <Skeleton aria-label="Loading settings">
            <SkeletonItem size={32} style={{ marginBottom: 16 }} />
            <SkeletonItem size={32} style={{ marginBottom: 16 }} />
            <SkeletonItem size={32} />
          </Skeleton>
        </Card>
      ) : q.data ? (
        <SettingsForm initial={q.data} signedIn={!!session.account} onBack={() => navigate("home")} />
      ) : null}
    </div>
  );
}

type Touched = { tenant: boolean; client: boolean };

function SettingsForm({ initial, signedIn, onBack }: { initial: Settings; signedIn: boolean; onBack: () => void }) {
  const s = useStyles();
  const qc = useQueryClient();
  const [tenant, setTenant] = useState(initial.tenantId);
  const [client, setClient] = useState(initial.clientId);
  const [cloud, setCloud] = useState<Cloud>(initial.cloud);
  const [proxy, setProxy] = useState(initial.proxyUrl);
  const [touched, setTouched] = useState<Touched>({ tenant: false, client: false });
  const [saved, setSaved] = useState(false);
  const managed = initial.managed;

  const save = useMutation<Settings, ApiError, SettingsInput>({
    mutationFn: (input) => saveSettings(input),
    onSuccess: (next) => {
      setSaved(true);
      qc.setQueryData(SETTINGS, next);
      void qc.invalidateQueries({ queryKey: SESSION });
    },
  });

  const tenantProblem = touched.tenant ? tenantIdProblem(tenant) : undefined;
  const clientProblem = touched.client ? clientIdProblem(client) : undefined;
  const consent = adminConsentUrl(tenant, client, cloud);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (managed) return;
    setTouched({ tenant: true, client: true });
    setSaved(false);
    if (tenantIdProblem(tenant) || clientIdProblem(client)) return;
    const input: SettingsInput = { tenantId: tenant.trim(), clientId: client.trim(), cloud, proxyUrl: proxy.trim() };
    setTenant(input.tenantId);
    setClient(input.clientId);
    save.mutate(input);
  };

  const edited = () => {
    setSaved(false);
    save.reset();
  };

  return (
    <div className={s.layout}>
      <div className={s.column}>
        <Card className={s.card}>
          <Subtitle2 as="h2" className={s.heading}>
            Your organization
          </Subtitle2>
          {managed ? (
            <MessageBar intent="info" data-testid="settings-managed">
              <MessageBarBody>These settings are managed by your IT department.</MessageBarBody>
            </MessageBar>
          ) : null}
          {initial.managedNotice ? (
            <MessageBar intent="warning" layout="multiline" data-testid="settings-managed-notice">
              <MessageBarBody>{initial.managedNotice}</MessageBarBody>
            </MessageBar>
          ) : null}
          <form className={s.form} onSubmit={onSubmit} noValidate aria-label="Organization settings">
            <Field
              label="Directory (tenant) ID"
              required={!managed}
              hint="A GUID, or a verified domain such as contoso.onmicrosoft.com."
              validationState={tenantProblem ? "error" : "none"}
              validationMessage={tenantProblem}
            >
              <Input
                data-testid="settings-tenant"
                value={tenant}
                readOnly={managed}
                spellCheck={false}
                autoComplete="off"
                placeholder="00000000-0000-0000-0000-000000000000"
                onChange={(_, d) => {
                  setTenant(d.value);
                  edited();
                }}
                onBlur={() => setTouched((t) => ({ ...t, tenant: true }))}
              />
            </Field>
            <Field
              label="Application (client) ID"
              required={!managed}
              hint="The GUID on the Overview page of the app registration."
              validationState={clientProblem ? "error" : "none"}
              validationMessage={clientProblem}
            >
              <Input
                data-testid="settings-client"
                value={client}
                readOnly={managed}
                spellCheck={false}
                autoComplete="off"
                placeholder="00000000-0000-0000-0000-000000000000"
                onChange={(_, d) => {
                  setClient(d.value);
                  edited();
                }}
                onBlur={() => setTouched((t) => ({ ...t, client: true }))}
              />
            </Field>
            <Field label="Cloud" hint="Where your tenant lives. Most organizations use Public.">
              <Dropdown
                data-testid="settings-cloud"
                disabled={managed}
                value={CLOUDS.find((c) => c.value === cloud)?.label ?? ""}
                selectedOptions={[cloud]}
                onOptionSelect={(_, d) => {
                  if (d.optionValue) setCloud(d.optionValue as Cloud);
                  edited();
                }}
              >
                {CLOUDS.map((c) => (
                  <Option key={c.value} value={c.value}>
                    {c.label}
                  </Option>
                ))}
              </Dropdown>
            </Field>
            <Field
              label="Proxy"
              hint={
                initial.proxyManaged
                  ? "Set by your IT department."
                  : "Leave empty to use this computer's proxy settings. Otherwise the address IT gave you, such as http://proxy.contoso.com:8080, without a user name or password. Automatic proxy scripts (PAC) are not read: if your network uses one, enter the proxy address here."
              }
            >
              <Input
                data-testid="settings-proxy"
                value={proxy}
                readOnly={managed || initial.proxyManaged}
                spellCheck={false}
                autoComplete="off"
                placeholder="This computer's proxy settings"
                onChange={(_, d) => {
                  setProxy(d.value);
                  edited();
                }}
              />
            </Field>
            {save.error ? <ErrorBar error={toApiError(save.error)} /> : null}
            {saved ? (
              <MessageBar intent="success" data-testid="settings-saved">
                <MessageBarBody>
                  Settings saved.{" "}
                  {signedIn ? null : (
                    <Link as="button" onClick={onBack}>
                      Go to sign-in
                    </Link>
                  )}
                </MessageBarBody>
              </MessageBar>
            ) : null}
            {managed ? null : (
              <div className={s.actions}>
                <Button appearance="primary" type="submit" data-testid="settings-save" disabled={save.isPending}>
                  Save
                </Button>
                {save.isPending ? <Spinner size="tiny" label="Saving…" /> : null}
              </div>
            )}
          </form>
        </Card>
        <ConnectionCheckCard />
        <AppearanceCard />
        <UpdatesCard />
      </div>
      <AppRegistrationHelp consentUrl={consent} />
    </div>
  );
}

function C({ children }: { children: string }) {
  return <code className={useStyles().code}>{children}</code>;
}

function AppRegistrationHelp({ consentUrl }: { consentUrl: string | undefined }) {
  const s = useStyles();
  const [error, setError] = useState<ApiError | null>(null);
  const help = (topic: HelpTopic) => {
    setError(null);
    openHelp(topic).catch((e: unknown) => setError(toApiError(e)));
  };
  return (
    <Card className={s.card} aria-labelledby="appreg-title">
      <Subtitle2 as="h2" id="appreg-title" className={s.heading}>
        Create the app registration (once, by an administrator)
      </Subtitle2>
      <Text className={s.muted}>
        Elevate signs in with your organization's own app registration. It is a public client: no secret or certificate
        is ever needed.
      </Text>
      <ol className={s.steps}>
        <li>
          In the Microsoft Entra admin center, go to <b>App registrations</b> → <b>New registration</b>. Name it{" "}
          <b>Elevate</b> and choose <b>Single tenant</b>.
        </li>
        <li>
          Open <b>Authentication</b> → <b>Add a platform</b> → <b>Mobile and desktop applications</b>, and add the
          redirect URI <C>http://localhost</C>. Turn on <b>Allow public client flows</b> only if you will use device code
          sign-in.
        </li>
        <li>
          Open <b>API permissions</b> and add these delegated permissions:
          <ul className={s.perms}>
            <li>
              Microsoft Graph: <C>User.Read</C>, <C>RoleEligibilitySchedule.Read.Directory</C>,{" "}
              <C>RoleAssignmentSchedule.ReadWrite.Directory</C>, <C>RoleManagementPolicy.Read.Directory</C>,{" "}
              <C>GroupMember.Read.All</C>
            </li>
            <li>
              Power Platform API: <C>UserManagement.Users.Apply</C>, <C>EnvironmentManagement.Environments.Read</C>
            </li>
            <li>
              Dynamics CRM: <C>user_impersonation</C>
            </li>
            <li>
              PowerApps Service: <C>User</C>
            </li>
          </ul>
        </li>
        <li>
          Grant admin consent for your organization.{" "}
          {consentUrl ? (
            <>
              An administrator can open this link to consent:
              <span className={s.consent}>
                <code className={s.code} data-testid="settings-consent-url">
                  {consentUrl}
                </code>
                <CopyButton text={consentUrl} what="admin consent link" data-testid="settings-consent-copy" />
              </span>
            </>
          ) : (
            <span className={s.muted}>Enter valid IDs on this page to get the admin consent link.</span>
          )}{" "}
          <Link as="button" onClick={() => help("adminConsent")}>
            About admin consent
          </Link>
        </li>
        <li>
          Copy the <b>Directory (tenant) ID</b> and <b>Application (client) ID</b> from the registration's Overview page
          into the fields on this page, then select Save.
        </li>
      </ol>
      <Link as="button" onClick={() => help("appRegistration")} data-testid="settings-learn-more">
        Learn more about app registrations
      </Link>
      {error ? <ErrorBar error={error} /> : null}
    </Card>
  );
}
