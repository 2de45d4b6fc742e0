// Every failure reaches the screens as an ApiError `{code, message}` with a known code.
import type { ApiError } from "./bindings/ApiError";
import type { ErrorCode } from "./bindings/ErrorCode";

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  "invalidInput",
  "notSignedIn",
  "signInCancelled",
  "signInTimedOut",
  "signInFailed",
  "interactionRequired",
  "network",
  "service",
  "throttled",
  "forbidden",
  "notFound",
  "credentialStore",
  "config",
  "internal",
]);

function isApiError(e: unknown): e is ApiError {
  if (typeof e !== "object" || e === null) return false;
  const o = e as Record<string, unknown>;
  return typeof o.code === "string" && ERROR_CODES.has(o.code) && typeof o.message === "string";
}

/** Whatever was thrown, hand the screens an ApiError. */
export function toApiError(e: unknown): ApiError {
  if (isApiError(e)) {
    const out: ApiError = { code: e.code, message: e.message };
    if (typeof e.detail === "string") out.detail = e.detail;
    if (typeof e.correlationId === "string") out.correlationId = e.correlationId;
    return out;
  }
  if (e instanceof Error) return { code: "internal", message: e.message || String(e) };
  return { code: "internal", message: String(e) };
}
