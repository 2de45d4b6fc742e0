// The account button and its menu (sign out), in the banner once someone is signed in; its own
// chunk, so the sign-in screen does not load the menu, avatar and badge code.
import {
  Avatar,
  Badge,
  Button,
  Menu,
  MenuDivider,
  MenuGroup,
  MenuGroupHeader,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { SignOut20Regular } from "@fluentui/react-icons";
import type { Account } from "../../platform";

const useStyles = makeStyles({
  accountButton: { maxWidth: "320px", minWidth: 0 },
  accountName: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  accountHeader: { display: "flex", flexDirection: "column", alignItems: "flex-start", gap: "2px", height: "auto", paddingBlock: tokens.spacingVerticalS },
  upn: { color: tokens.colorNeutralForeground2, fontWeight: tokens.fontWeightRegular },
});

export default function AccountMenu({
  account,
  onSignOut,
  busy,
}: {
  account: Account;
  /** `endBrowserSession`: also sign out of Microsoft in the browser. */
  onSignOut: (endBrowserSession: boolean) => void;
  busy: boolean;
}) {
  const s = useStyles();
  const demo = account.kind === "demo";
  return (
    <Menu positioning="below-end">
      <MenuTrigger disableButtonEnhancement>
        <Button
          appearance="subtle"
          data-testid="account-button"
          className={s.accountButton}
          icon={<Avatar name={account.name} size={24} color="colorful" />}
          title={account.upn}
        >
          <span className={s.accountName}>{account.name}</span>
          {demo ? (
            <Badge appearance="tint" color="informative" size="small" style={{ marginLeft: tokens.spacingHorizontalXS }}>
              Demo tenant
            </Badge>
          ) : null}
        </Button>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          <MenuGroup>
            <MenuGroupHeader className={s.accountHeader}>
              <span>{account.name}</span>
              <span className={s.upn}>{account.upn}</span>
            </MenuGroupHeader>
          </MenuGroup>
          <MenuDivider />
          <MenuItem icon={<SignOut20Regular />} data-testid="signout" onClick={() => onSignOut(false)} disabled={busy}>
            Sign out
          </MenuItem>
          <MenuItem
            data-testid="signout-browser"
            onClick={() => onSignOut(true)}
            disabled={busy}
            title="Also signs you out of Microsoft in your web browser, so the next sign-in there asks for your account again. Active admin roles stay active until they end."
          >
            Sign out here and in your browser
          </MenuItem>
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
