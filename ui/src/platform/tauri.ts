// The desktop transport: Tauri IPC. The ONLY module that imports `@tauri-apps/*`.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";

import type { Transport } from "./transport";

export const tauriTransport: Transport = {
  invoke: (name, args) => invoke(name, args),
  listen: (event, cb) => listen(event, (e) => cb(e.payload)),
};
