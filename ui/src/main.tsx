import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import iconUrl from "../../icons/icon.svg";
import { App, askSessionFirst, makeQueryClient } from "./App";
import { markStartup } from "./lib/interactive";
import baseCss from "./index.css?inline";

markStartup("scripts");

// Applied from here, not linked from index.html: a stylesheet blocks the page's first paint,
// and with WebKitGTK's compositing off (Linux) the window's first paint waits for the page's
// while the app's main thread, which serves the stylesheet, waits for that paint (up to 0.5 s;
// `cargo xtask bench`). An inline <style> in index.html would do too, but Tauri then adds a
// nonce to style-src, which turns off the 'unsafe-inline' Fluent's runtime styles need.
const base = document.createElement("style");
base.textContent = baseCss;
document.head.appendChild(base);

// The app icon (icons/icon.svg, shared with the bundlers) is also the favicon.
const favicon = document.createElement("link");
favicon.rel = "icon";
favicon.type = "image/svg+xml";
favicon.href = iconUrl;
document.head.appendChild(favicon);

const queryClient = makeQueryClient();
// Long enough for the session to answer on a slow computer; short enough that restoring a
// saved sign-in over the network shows the "Starting Elevate…" spinner.
const FIRST_SCREEN_WAIT_MS = 200;
// The logo is on the first screen: fetched and decoded while the session is asked, so that
// screen shows it at once instead of a moment later (kept referenced: the page reuses it).
const logo = new Image();
logo.src = iconUrl;
const logoDecoded = logo.decode().catch(() => undefined);
await askSessionFirst(queryClient, FIRST_SCREEN_WAIT_MS, [logoDecoded]);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App queryClient={queryClient} />
  </StrictMode>,
);
