//! Opening pages in the user's own browser (never in the app's webview, RFC 8252 §8.12).
//! Only http(s) URLs are opened, and plain http only for loopback hosts (the demo tenant).

use url::Url;

use super::AuthError;

pub trait Browser: Send + Sync {
    fn open(&self, url: &Url) -> Result<(), AuthError>;
}

/// The OS default browser. On Linux/BSD it honours `$BROWSER`, like `xdg-open` does.
pub struct SystemBrowser;

impl Browser for SystemBrowser {
    fn open(&self, url: &Url) -> Result<(), AuthError> {
        check_openable(url)?;
        webbrowser::open(url.as_str()).map_err(|e| AuthError::BrowserLaunch(e.to_string()))
    }
}

pub fn check_openable(url: &Url) -> Result<(), AuthError> {
    let loopback = matches!(
        url.host_str(),
        Some("127.0.0.1") | Some("localhost") | Some("[::1]")
    );
    let ok = match url.scheme() {
        "https" => url.host_str().is_some_and(|h| !h.is_empty()),
        "http" => loopback,
        _ => false,
    };
    if ok && url.username().is_empty() && url.password().is_none() {
        Ok(())
    } else {
        Err(AuthError::BrowserLaunch(format!(
            "refusing to open {}",
            url.scheme()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_urls_are_opened() {
        let ok = |s: &str| check_openable(&Url::parse(s).unwrap()).is_ok();
        assert!(ok(
            "https://login.microsoftonline.com/x/oauth2/v2.0/authorize?a=b"
        ));
        assert!(ok("http://127.0.0.1:4000/login/x"));
        assert!(!ok("http://evil.example.com/"));
        assert!(!ok("file:///etc/passwd"));
        assert!(!ok("javascript:alert(1)"));
        assert!(!ok("smb://server/share"));
        assert!(!ok("https://user:pw@host/"));
    }
}
