import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import iconUrl from "../../icons/icon.svg";
import { App } from "./App";
import "./index.css";

// The app icon (icons/icon.svg, shared with the bundlers) is also the favicon.
const favicon = document.createElement("link");
favicon.rel = "icon";
favicon.type = "image/svg+xml";
favicon.href = iconUrl;
document.head.appendChild(favicon);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
