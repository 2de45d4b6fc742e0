//! What `surface.rs` expands to inside core: one request struct per command, `dispatch`,
//! typed event emitters, the name lists, and the TypeScript the UI is typed with.

#[allow(unused_imports)]
use super::*;

macro_rules! define_surface {
    (
        commands { $( $module:ident :: $name:ident { $( $field:ident : $fty:ty ),* $(,)? } -> $resp:ty ; )* }
        events { $( $ev:ident = $evname:literal : $payload:ty ; )* }
    ) => {
        /// One request struct per command: its fields, in camelCase, are the IPC arguments.
        pub mod requests {
            $(
                pub mod $name {
                    #[allow(unused_imports)]
                    use crate::api::*;
                    #[derive(Debug, serde::Deserialize)]
                    #[serde(rename_all = "camelCase")]
                    pub struct Request { $( pub $field: $fty ),* }
                }
            )*
        }

        /// The typed way to send each event.
        pub mod events {
            #[allow(unused_imports)]
            use crate::api::*;
            $(
                pub fn $ev(host: &dyn $crate::api::Host, payload: &$payload) {
                    match serde_json::to_value(payload) {
                        Ok(v) => host.emit($evname, v),
                        Err(e) => tracing::error!(error = %e, event = $evname, "event not sent"),
                    }
                }
            )*
        }

        /// Every command name, in the surface's order.
        pub const COMMANDS: &[&str] = &[ $( stringify!($name) ),* ];
        /// Every event name, in the surface's order.
        pub const EVENTS: &[&str] = &[ $( $evname ),* ];

        /// Runs one command from its wire name and JSON arguments, as every host does.
        /// An unknown name or unreadable arguments change nothing.
        pub async fn dispatch(
            cx: &$crate::api::Context<'_>,
            name: &str,
            args: serde_json::Value,
        ) -> Result<serde_json::Value, ApiError> {
            match name {
                $(
                    stringify!($name) => {
                        let rq = $crate::api::dispatch::read_args(name, args)?;
                        $crate::api::dispatch::respond(
                            $crate::api::handlers::$module::$name(cx, rq).await,
                        )
                    }
                )*
                _ => Err($crate::api::dispatch::unknown_command(name)),
            }
        }

        /// `ui/src/platform/bindings/surface.ts`: the `Commands` and `Events` maps, the name
        /// lists, and one typed function per command and event.
        pub fn typescript() -> String {
            use ts_rs::TS;
            let mut ts = $crate::api::dispatch::TsSurface::default();
            $(
                ts.command(
                    stringify!($name),
                    &[ $( (stringify!($field), <$fty as TS>::name()) ),* ],
                    <$resp as TS>::name(),
                );
            )*
            $( ts.event(stringify!($ev), $evname, <$payload as TS>::name()); )*
            ts.finish()
        }
    };
}

pub(crate) fn read_args<T: serde::de::DeserializeOwned>(
    name: &str,
    args: serde_json::Value,
) -> Result<T, ApiError> {
    // A command without arguments may come with none at all.
    let args = match args {
        serde_json::Value::Null => serde_json::Value::Object(Default::default()),
        a => a,
    };
    serde_json::from_value(args).map_err(|e| {
        ApiError::new(
            ErrorCode::InvalidInput,
            format!("Elevate could not read the arguments of `{name}`. Nothing was changed."),
        )
        .with_detail(e.to_string())
    })
}

pub(crate) fn respond<T: serde::Serialize>(
    r: Result<T, ApiError>,
) -> Result<serde_json::Value, ApiError> {
    let value = r?;
    serde_json::to_value(value).map_err(|e| {
        ApiError::new(ErrorCode::Internal, "Elevate could not send its answer.")
            .with_detail(e.to_string())
    })
}

pub(crate) fn unknown_command(name: &str) -> ApiError {
    // The name is the caller's: keep it short in the message.
    let shown: String = name.chars().take(64).collect();
    ApiError::new(
        ErrorCode::NotFound,
        format!("Elevate has no command `{shown}`."),
    )
}

/// Builds surface.ts from the names and the ts-rs names of the Rust types.
#[derive(Default)]
pub struct TsSurface {
    commands: Vec<String>,
    events: Vec<String>,
    command_names: Vec<String>,
    event_names: Vec<String>,
    functions: Vec<String>,
    function_names: Vec<String>,
}

fn camel(snake: &str, upper_first: bool) -> String {
    let mut out = String::new();
    let mut up = upper_first;
    for c in snake.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

impl TsSurface {
    pub fn command(&mut self, name: &str, fields: &[(&str, String)], response: String) {
        let response = if response == "null" {
            "void".to_string()
        } else {
            response
        };
        let args: Vec<(String, String)> = fields
            .iter()
            .map(|(f, t)| (camel(f, false), t.clone()))
            .collect();
        let args_type = if args.is_empty() {
            "Record<string, never>".to_string()
        } else {
            let fs: Vec<String> = args
                .iter()
                .map(|(f, t)| match t.strip_suffix(" | null") {
                    Some(inner) => format!("{f}?: {inner} | null"),
                    None => format!("{f}: {t}"),
                })
                .collect();
            format!("{{ {} }}", fs.join("; "))
        };
        self.commands.push(format!(
            "  {name}: {{ args: {args_type}; response: {response} }};"
        ));
        self.command_names.push(format!("  \"{name}\","));
        let params: Vec<String> = args
            .iter()
            .map(|(f, t)| match t.strip_suffix(" | null") {
                Some(inner) => format!("{f}?: {inner}"),
                None => format!("{f}: {t}"),
            })
            .collect();
        let call_args = if args.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = args.iter().map(|(f, _)| f.as_str()).collect();
            format!(", {{ {} }}", names.join(", "))
        };
        let f = camel(name, false);
        self.functions.push(format!(
            "export const {f} = ({}): Promise<{response}> => call(\"{name}\"{call_args});",
            params.join(", ")
        ));
        self.function_names.push(format!("  \"{f}\","));
    }

    pub fn event(&mut self, ident: &str, name: &str, payload: String) {
        self.events.push(format!("  \"{name}\": {payload};"));
        self.event_names.push(format!("  \"{name}\","));
        let f = format!("on{}", camel(ident, true));
        self.functions.push(format!(
            "export const {f} = (cb: (payload: {payload}) => void): Promise<() => void> => subscribe(\"{name}\", cb);"
        ));
        self.function_names.push(format!("  \"{f}\","));
    }

    pub fn finish(self) -> String {
        let body = format!(
            "/** Every command: its arguments (camelCase, as sent) and its response. */\n\
             export type Commands = {{\n{}\n}};\n\n\
             /** Every event and its payload. */\n\
             export type Events = {{\n{}\n}};\n\n\
             export const COMMAND_NAMES = [\n{}\n] as const;\n\n\
             export const EVENT_NAMES = [\n{}\n] as const;\n\n\
             /** The exported functions below, one per command and one `on…` per event. */\n\
             export const FUNCTION_NAMES = [\n{}\n] as const;\n\n{}\n",
            self.commands.join("\n"),
            self.events.join("\n"),
            self.command_names.join("\n"),
            self.event_names.join("\n"),
            self.function_names.join("\n"),
            self.functions.join("\n"),
        );
        let imports: Vec<String> = super::binding_type_names()
            .into_iter()
            .filter(|t| mentions(&body, t))
            .map(|t| format!("import type {{ {t} }} from \"./{t}\";"))
            .collect();
        format!(
            "// Generated from crates/core/src/api/surface.rs by `cargo xtask bindings`. Do not edit.\n\
             import {{ call, subscribe }} from \"../transport\";\n{}\n\n{body}",
            imports.join("\n")
        )
    }
}

/// `text` names the type `t` as a whole word.
fn mentions(text: &str, t: &str) -> bool {
    text.match_indices(t).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + t.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !word(before) && !word(after)
    })
}
crate::with_surface!(define_surface);

/// `src-tauri/permissions/surface.toml`: one Tauri permission set granting every command of
/// the surface, so the capability names the set instead of each command.
pub fn tauri_permission_set() -> String {
    let allows: Vec<String> = super::COMMANDS
        .iter()
        .map(|c| format!("  \"allow-{}\",", c.replace('_', "-")))
        .collect();
    format!(
        "# Generated from crates/core/src/api/surface.rs by `cargo xtask bindings`. Do not edit.\n\
         [[set]]\n\
         identifier = \"surface\"\n\
         description = \"Every command of Elevate's declared surface, and nothing else.\"\n\
         permissions = [\n{}\n]\n",
        allows.join("\n")
    )
}
