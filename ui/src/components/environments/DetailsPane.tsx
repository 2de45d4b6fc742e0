import { Badge, Caption1, Link, MessageBar, MessageBarBody, Text, makeStyles, tokens } from "@fluentui/react-components";
import { Open16Regular } from "@fluentui/react-icons";
import { useMutation } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { regionLabel, stateLabel } from "../../lib/environments";
import { shortTime } from "../../lib/roles";
import { openEnvironment, toApiError, type ApiError, type Environment, type GroupRef } from "../../platform";
import { CopyButton } from "../CopyButton";
import { ErrorBar } from "../ErrorBar";

const useStyles = makeStyles({
  list: { margin: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  term: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, lineHeight: tokens.lineHeightBase200 },
  value: { margin: 0, display: "flex", alignItems: "center", flexWrap: "wrap", gap: tokens.spacingHorizontalXS, minWidth: 0 },
  stack: { margin: 0, display: "flex", flexDirection: "column", gap: "2px", minWidth: 0 },
  idLine: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalXXS, minWidth: 0 },
  mono: { minWidth: 0, fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, overflowWrap: "anywhere" },
  link: { textAlign: "start", overflowWrap: "anywhere" },
  linkIcon: { verticalAlign: "middle", marginInlineStart: tokens.spacingHorizontalXXS },
  none: { color: tokens.colorNeutralForeground3 },
});

function Row({ term, children, testId }: { term: string; children: ReactNode; testId?: string }) {
  const s = useStyles();
  return (
    <div data-testid={testId}>
      <dt className={s.term}>{term}</dt>
      <dd className={s.value}>{children}</dd>
    </div>
  );
}

function Id({ value, what }: { value: string; what: string }) {
  const s = useStyles();
  // The copy button stays beside the id: a long id wraps inside its own box instead.
  return (
    <span className={s.idLine}>
      <Text className={s.mono}>{value}</Text>
      <CopyButton text={value} what={what} />
    </span>
  );
}

function Group({ group, what }: { group: GroupRef; what: string }) {
  const s = useStyles();
  return (
    <span className={s.stack}>
      <Text>{group.name ?? <span className={s.none}>Name not available</span>}</Text>
      <Id value={group.id} what={what} />
    </span>
  );
}

/** Details, as the admin center shows them; the URL opens in the system browser (via Rust). */
export function DetailsPane({ env }: { env: Environment }) {
  const s = useStyles();
  const open = useMutation<void, ApiError, string>({ mutationFn: (id) => openEnvironment(id) });
  const none = <span className={s.none}>None</span>;
  return (
    <div className={s.list}>
      {open.error ? <ErrorBar error={toApiError(open.error)} /> : null}
      {env.unread ? (
        <MessageBar intent="warning" layout="multiline" data-testid="env-detail-unread">
          <MessageBarBody>{env.unread}</MessageBarBody>
        </MessageBar>
      ) : null}
      <dl className={s.list} data-testid="env-details">
      <Row term="Environment ID" testId="env-detail-id">
        <Id value={env.id} what="environment ID" />
      </Row>
      <Row term="Environment URL" testId="env-detail-url">
        {env.url ? (
          <Link as="button" type="button" className={s.link} data-testid="env-open-url" onClick={() => open.mutate(env.id)}>
            {env.url}
            <Open16Regular className={s.linkIcon} aria-label="(opens in your browser)" />
          </Link>
        ) : (
          <span className={s.none}>None: no Dataverse database</span>
        )}
      </Row>
      <Row term="Type">{env.type}</Row>
      <Row term="Region">{regionLabel(env)}</Row>
      <Row term="State" testId="env-detail-state">
        {env.enabled ? (
          stateLabel(env)
        ) : (
          <Badge appearance="tint" color="warning">
            {stateLabel(env)}
          </Badge>
        )}
      </Row>
      <Row term="Dataverse">{env.hasDataverse ? "Yes" : "No"}</Row>
      <Row term="Security group" testId="env-detail-security-group">
        {env.securityGroup ? (
          <Group group={env.securityGroup} what="security group ID" />
        ) : env.groupsUnknown ? (
          <span className={s.stack} data-testid="env-detail-groups-unknown">
            <Text>Unknown</Text>
            <Caption1 className={s.none}>{env.groupsUnknown}</Caption1>
          </span>
        ) : (
          none
        )}
      </Row>
      {env.connectedGroup ? (
        <Row term="Microsoft 365 group (Teams)" testId="env-detail-teams-group">
          <Group group={env.connectedGroup} what="Microsoft 365 group ID" />
        </Row>
      ) : null}
      <Row term="Organization ID">{env.organizationId ? <Id value={env.organizationId} what="organization ID" /> : none}</Row>
      <Row term="Version">{env.version ?? none}</Row>
      <Row term="Created">{env.created ? shortTime(env.created) : <Caption1 className={s.none}>Unknown</Caption1>}</Row>
      </dl>
    </div>
  );
}
