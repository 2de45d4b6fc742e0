//! Redirect URIs: which ones an app may use (loopback rules of contract §1.3) and how the
//! answer is carried back to them (`response_mode`).

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use url::Url;

use crate::scenario::Application;

use super::pages;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseMode {
    Query,
    Fragment,
    FormPost,
}

impl ResponseMode {
    pub fn parse(value: Option<&str>) -> Option<ResponseMode> {
        match value {
            None | Some("query") => Some(ResponseMode::Query),
            Some("fragment") => Some(ResponseMode::Fragment),
            Some("form_post") => Some(ResponseMode::FormPost),
            Some(_) => None,
        }
    }
}

/// Whether `requested` matches one of the app's registered redirect URIs. For `http` loopback
/// registrations (`localhost`, `127.0.0.1`) the port is ignored but the path is not.
pub fn is_registered(app: &Application, requested: &str) -> bool {
    let Ok(req) = Url::parse(requested) else {
        return false;
    };
    if req.fragment().is_some() || !req.username().is_empty() || req.password().is_some() {
        return false;
    }
    app.redirect_uris.iter().any(|registered| {
        let Ok(reg) = Url::parse(registered) else {
            return false;
        };
        if is_loopback(&reg) {
            req.scheme() == reg.scheme()
                && req.host_str() == reg.host_str()
                && req.path() == reg.path()
                && req.query() == reg.query()
        } else {
            req == reg
        }
    })
}

fn is_loopback(url: &Url) -> bool {
    url.scheme() == "http" && matches!(url.host_str(), Some("localhost") | Some("127.0.0.1"))
}

/// Sends `params` back to a redirect URI that has already been checked against the app.
pub fn deliver(redirect_uri: &str, mode: ResponseMode, params: &[(&str, &str)]) -> Response {
    let Ok(mut url) = Url::parse(redirect_uri) else {
        return (StatusCode::BAD_REQUEST, "invalid redirect URI").into_response();
    };
    match mode {
        ResponseMode::Query => {
            {
                let mut q = url.query_pairs_mut();
                for (k, v) in params {
                    q.append_pair(k, v);
                }
            }
            found(url.as_str())
        }
        ResponseMode::Fragment => {
            let mut f = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in params {
                f.append_pair(k, v);
            }
            url.set_fragment(Some(&f.finish()));
            found(url.as_str())
        }
        ResponseMode::FormPost => Html(pages::form_post(url.as_str(), params)).into_response(),
    }
}

fn found(location: &str) -> Response {
    (
        StatusCode::FOUND,
        [(header::LOCATION, location.to_string())],
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn app(uris: &[&str]) -> Application {
        Application {
            app_id: "x".into(),
            display_name: "x".into(),
            is_public_client: true,
            redirect_uris: uris.iter().map(|s| s.to_string()).collect(),
            optional_claims: Vec::new(),
            consented_scopes: BTreeMap::new(),
        }
    }

    #[test]
    fn loopback_ignores_port_but_not_path_or_host() {
        let a = app(&["http://localhost", "http://localhost/MyApp"]);
        assert!(is_registered(&a, "http://localhost:1234"));
        assert!(is_registered(&a, "http://localhost:5000/"));
        assert!(is_registered(&a, "http://localhost:5000/MyApp"));
        assert!(!is_registered(&a, "http://localhost:5000/Other"));
        assert!(!is_registered(&a, "http://127.0.0.1:5000"));
        assert!(!is_registered(&a, "https://localhost:5000"));
        assert!(!is_registered(&a, "http://evil.example"));
        assert!(!is_registered(&a, "http://localhost:1234/#frag"));
        assert!(!is_registered(&a, "not a url"));
    }

    #[test]
    fn other_uris_match_exactly() {
        let a = app(&["https://app.contoso.com/callback"]);
        assert!(is_registered(&a, "https://app.contoso.com/callback"));
        assert!(!is_registered(&a, "https://app.contoso.com:8443/callback"));
    }
}
