import {
  Badge,
  Body1,
  Button,
  Caption1,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { PHASE_COLORS, PHASE_WORDS, actionWords, shortTime } from "../../lib/roles";
import { durationWords } from "../../lib/roleValidation";
import { cancelRequest, toApiError, type ApiError, type RoleRequest } from "../../platform";
import { ErrorBar } from "../ErrorBar";
import { invalidateRoles } from "./queries";
import { useListStyles } from "./styles";

const useStyles = makeStyles({
  scroll: { overflowX: "auto" },
  table: { minWidth: "860px", tableLayout: "auto" },
  wrap: { overflowWrap: "anywhere", paddingBlock: tokens.spacingVerticalS },
  nowrap: { whiteSpace: "nowrap" },
  muted: { color: tokens.colorNeutralForeground3 },
  error: { marginBottom: tokens.spacingVerticalM },
});

/** The Requests tab: what was asked of PIM, newest first, and Cancel while it waits. */
export function RequestList({ requests }: { requests: readonly RoleRequest[] }) {
  const s = useStyles();
  const l = useListStyles();
  const qc = useQueryClient();
  const cancel = useMutation<void, ApiError, string>({
    mutationFn: (id) => cancelRequest(id),
    onSettled: () => invalidateRoles(qc),
  });

  if (requests.length === 0) {
    return (
      <div className={mergeClasses(l.box, l.empty)} data-testid="requests-empty">
        <Body1>No requests yet.</Body1>
        <Caption1>Activations, extensions and deactivations you ask for show here.</Caption1>
      </div>
    );
  }

  const none = <span className={s.muted}>{"\u2014"}</span>;
  return (
    <div>
      {cancel.error ? <ErrorBar className={s.error} error={toApiError(cancel.error)} /> : null}
      <div className={mergeClasses(l.box, s.scroll)}>
        <Table className={s.table} aria-label="Requests" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell style={{ width: "16%" }}>Role</TableHeaderCell>
              <TableHeaderCell style={{ width: "8%" }}>Action</TableHeaderCell>
              <TableHeaderCell style={{ width: "13%" }}>Status</TableHeaderCell>
              <TableHeaderCell style={{ width: "14%" }}>Requested</TableHeaderCell>
              <TableHeaderCell style={{ width: "8%" }}>Duration</TableHeaderCell>
              <TableHeaderCell>Justification</TableHeaderCell>
              <TableHeaderCell style={{ width: "10%" }}>Ticket</TableHeaderCell>
              <TableHeaderCell style={{ width: "120px" }} aria-label="Actions" />
            </TableRow>
          </TableHeader>
          <TableBody>
            {requests.map((r) => (
              <TableRow key={r.id} data-testid="role-request" data-request-id={r.id}>
                <TableCell className={s.wrap}>{r.roleName}</TableCell>
                <TableCell data-testid="request-action">{actionWords(r.action)}</TableCell>
                <TableCell>
                  <Badge appearance="tint" className={s.nowrap} color={PHASE_COLORS[r.phase]} data-testid="request-status" title={r.status}>
                    {PHASE_WORDS[r.phase]}
                  </Badge>
                </TableCell>
                <TableCell className={s.wrap}>{shortTime(r.created)}</TableCell>
                <TableCell className={s.nowrap}>{r.durationMinutes ? durationWords(r.durationMinutes) : none}</TableCell>
                <TableCell className={s.wrap}>{r.justification || none}</TableCell>
                <TableCell className={s.wrap}>{r.ticketNumber || none}</TableCell>
                <TableCell>
                  {r.canCancel ? (
                    <Button
                      size="small"
                      data-testid="cancel-request-button"
                      disabled={cancel.isPending && cancel.variables === r.id}
                      onClick={() => cancel.mutate(r.id)}
                    >
                      Cancel request
                    </Button>
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </div>
  );
}
