// The platform boundary. Screens call the typed functions generated from Rust's one command
// surface (./bindings/surface.ts: one per command, one `on…` per event), or `call`/`subscribe`
// with a command or event name. The IPC types are generated too (./bindings, never edited by
// hand). No function here returns a token: tokens never leave Rust.
export * from "./bindings";
export { toApiError } from "./errors";
export { call, subscribe } from "./transport";

/** The Microsoft Learn pages `openHelp` may open; Rust refuses any other topic. */
export type HelpTopic = "appRegistration" | "adminConsent";
