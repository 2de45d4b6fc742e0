import { Toast, ToastBody, ToastTitle, useToastController } from "@fluentui/react-components";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { onRolesChanged, type RoleNotice } from "../../platform";
import { invalidateRoles } from "./queries";

/**
 * `roles-changed` (an approval decided, an activation ended in the background): My roles and Home
 * fetch again, once for the whole app (Shell calls this), and the notice, if any, shows as a toast.
 */
export function useRolesChanged(toasterId: string) {
  const qc = useQueryClient();
  const { dispatchToast } = useToastController(toasterId);
  useEffect(() => {
    let off: (() => void) | undefined;
    let gone = false;
    const show = (n: RoleNotice) =>
      dispatchToast(
        <Toast data-testid="roles-notice">
          <ToastTitle>{n.title}</ToastTitle>
          <ToastBody>{n.body}</ToastBody>
        </Toast>,
        { intent: "info", timeout: 12_000, politeness: "polite" },
      );
    onRolesChanged((notice) => {
      if (gone) return;
      invalidateRoles(qc);
      if (notice) show(notice);
    })
      .then((u) => (gone ? u() : (off = u)))
      .catch(() => {
        // Without the event the pages still refresh on focus and while a request is waiting.
      });
    return () => {
      gone = true;
      off?.();
    };
  }, [qc, dispatchToast]);
}
