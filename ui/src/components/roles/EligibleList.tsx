import {
  Badge,
  Body1,
  Button,
  Caption1,
  Checkbox,
  Menu,
  MenuButton,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Text,
  Tooltip,
  mergeClasses,
} from "@fluentui/react-components";
import { Flash20Regular, Warning16Filled } from "@fluentui/react-icons";
import { useState } from "react";
import { localDay, membership, policyBadges } from "../../lib/roles";
import { durationWords } from "../../lib/roleValidation";
import type { EligibleRole, Preset } from "../../platform";
import { useListStyles } from "./styles";

type Props = {
  roles: readonly EligibleRole[];
  presets: readonly Preset[];
  /** Open the Activate dialog for these roles (pre-filled from the preset, if any). */
  onActivate: (roles: EligibleRole[], preset?: Preset) => void;
};

/** The Eligible tab: what the user may activate, what each role's policy asks, and Activate. */
export function EligibleList({ roles, presets, onActivate }: Props) {
  const s = useListStyles();
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  // Roles that became active (or left the list) drop out of the selection by themselves.
  const selected = roles.filter((r) => picked.has(rowKey(r)) && !r.active);

  const toggle = (key: string, on: boolean) =>
    setPicked((prev) => {
      const next = new Set(prev);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });

  const applyPreset = (p: Preset) => {
    const chosen = roles.filter((r) => p.roleIds.includes(r.roleId) && !r.active);
    if (chosen.length) onActivate(chosen, p);
  };

  if (roles.length === 0) {
    return (
      <div className={mergeClasses(s.box, s.empty)} data-testid="eligible-empty">
        <Body1>You have no eligible roles. Ask your administrator to make you eligible in PIM.</Body1>
      </div>
    );
  }

  return (
    <div>
      <div className={s.bar} role="toolbar" aria-label="Eligible roles">
        <Button
          appearance="primary"
          icon={<Flash20Regular />}
          data-testid="activate-selected"
          disabled={selected.length === 0}
          onClick={() => onActivate(selected)}
        >
          Activate selected ({selected.length})
        </Button>
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <MenuButton data-testid="preset-menu">Use preset</MenuButton>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              {presets.length === 0 ? (
                <MenuItem disabled>No presets yet. Save one from the Activate dialog.</MenuItem>
              ) : (
                presets.map((p) => {
                  const available = roles.filter((r) => p.roleIds.includes(r.roleId) && !r.active).length;
                  return (
                    <MenuItem
                      key={p.name}
                      data-testid="preset-item"
                      data-preset={p.name}
                      disabled={available === 0}
                      secondaryContent={
                        available === 0
                          ? "All active or not eligible"
                          : `${available === 1 ? "1 role" : `${available} roles`} · ${durationWords(p.durationMinutes)}`
                      }
                      onClick={() => applyPreset(p)}
                    >
                      {p.name}
                    </MenuItem>
                  );
                })
              )}
            </MenuList>
          </MenuPopover>
        </Menu>
      </div>
      <div className={s.box}>
        <ul className={s.list} aria-label="Eligible roles">
          {roles.map((r) => (
            <li key={rowKey(r)} className={s.row} data-testid="eligible-role" data-role-id={r.roleId}>
              <Checkbox
                className={s.check}
                aria-label={r.scopeId === "/" ? `Select ${r.name}` : `Select ${r.name}, ${r.scope}`}
                checked={!r.active && picked.has(rowKey(r))}
                disabled={r.active}
                onChange={(_, d) => toggle(rowKey(r), d.checked === true)}
              />
              <div className={s.main}>
                <Body1 className={s.name}>{r.name}</Body1>
                {r.description ? <Caption1 className={s.description}>{r.description}</Caption1> : null}
                <div className={s.badges} data-testid="policy-badges">
                  {policyBadges(r.policy).map((b) => (
                    <Badge key={b} appearance="tint" color={b === "Approval" || b === "Auth context" ? "warning" : "informative"}>
                      {b}
                    </Badge>
                  ))}
                  {r.policy ? null : (
                    <Tooltip content="Elevate could not read this role's PIM settings; the dialog asks for a justification." relationship="description">
                      <Badge appearance="outline" color="subtle">
                        Settings unknown
                      </Badge>
                    </Tooltip>
                  )}
                </div>
                {r.hint ? (
                  <Text size={200} className={s.hint} data-testid="eligible-hint">
                    <Warning16Filled className={s.hintIcon} />
                    {r.hint}
                  </Text>
                ) : null}
              </div>
              <div className={s.facts}>
                <Caption1>Scope: {r.scope}</Caption1>
                <Caption1 data-testid="membership">{membership(r)}</Caption1>
                <Caption1 data-testid="eligibility-end">
                  {r.eligibilityEnd ? `Eligible until ${localDay(r.eligibilityEnd)}` : "Permanent"}
                </Caption1>
              </div>
              <div className={s.actions}>
                <Button data-testid="activate-button" disabled={r.active} onClick={() => onActivate([r])}>
                  {r.active ? "Active" : "Activate"}
                </Button>
              </div>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** One row per eligibility: the same role for two administrative units is two rows. */
function rowKey(r: EligibleRole): string {
  return `${r.roleId} ${r.scopeId}`;
}
