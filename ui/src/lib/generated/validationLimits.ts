// Generated from crates/core (roles/validate.rs, roles/policy.rs) by tests/validation_limits.rs: do not edit.
// Regenerate with `ELEVATE_WRITE_BINDINGS=1 cargo test -p elevate-core --test validation_limits`.

/** The longest justification, in characters (Unicode code points), after trimming. */
export const MAX_JUSTIFICATION = 500;
/** The longest ticket number, and the longest ticket system. */
export const MAX_TICKET = 100;
/** The shortest activation offered (or the role's maximum, when that is shorter). */
export const MIN_ACTIVATION_MINUTES = 30;
/** The maximum of a role whose policy could not be read (Entra's default). */
export const DEFAULT_MAX_MINUTES = 480;
/** PIM's own ceiling for an activation. */
export const MAX_ACTIVATION_MINUTES = 1440;
