// Toasts for what changed in the background (an approval decided, an activation ended), and
// My roles and Home fetched again: only while someone is signed in, in a chunk of its own.
import { Toaster, useId } from "@fluentui/react-components";
import { useRolesChanged } from "./useRolesChanged";

export default function RoleNotices() {
  const toasterId = useId("toaster");
  useRolesChanged(toasterId);
  return <Toaster toasterId={toasterId} position="top-end" pauseOnHover pauseOnWindowBlur />;
}
