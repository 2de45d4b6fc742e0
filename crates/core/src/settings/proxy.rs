//! The proxy address as typed in Settings or written in the managed configuration.

use url::Url;

use super::invalid;
use crate::api::ApiError;

/// `None` for an empty field (this computer's proxy settings). `proxy.contoso.com:8080`
/// means `http://proxy.contoso.com:8080`, as in the Windows and macOS proxy dialogs.
/// A user name or password in the address is refused: the settings file is plain text.
pub fn validate_proxy_url(raw: &str) -> Result<Option<Url>, ApiError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let with_scheme = if s.contains("://") {
        s.to_string()
    } else {
        format!("http://{s}")
    };
    let bad = || {
        invalid("The proxy address must look like http://proxy.contoso.com:8080 (ask IT for it), or stay empty to use this computer's proxy settings.")
    };
    let url = Url::parse(&with_scheme).map_err(|_| bad())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(bad());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("Leave the user name and password out of the proxy address: Elevate does not keep passwords in its settings file. Ask IT to set the proxy credentials in Elevate's managed configuration (or in the HTTPS_PROXY environment variable)."));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(bad());
    }
    Ok(Some(url))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ErrorCode;

    #[test]
    fn proxy_addresses() {
        assert_eq!(validate_proxy_url("  ").unwrap(), None);
        assert_eq!(
            validate_proxy_url("proxy.contoso.com:8080")
                .unwrap()
                .unwrap()
                .as_str(),
            "http://proxy.contoso.com:8080/"
        );
        assert_eq!(
            validate_proxy_url("https://10.0.0.1:3128")
                .unwrap()
                .unwrap()
                .as_str(),
            "https://10.0.0.1:3128/"
        );
        for bad in [
            "ftp://proxy:21",
            "http://",
            "http://proxy:8080/path",
            "socks5://proxy:1080",
            "not a url at all",
        ] {
            let e = validate_proxy_url(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{bad}");
            assert!(e.message.contains("http://proxy.contoso.com:8080"), "{bad}");
        }
        let e = validate_proxy_url("http://me:secret@proxy:8080").unwrap_err();
        assert!(e.message.contains("Leave the user name and password out"));
        assert!(!e.message.contains("secret"));
    }
}
