//! Which tenant a sign-in goes to: the demo tenant (started on demand) or the organization
//! set up in Settings; and whether IT allows a device code.

use crate::api::{ApiError, ErrorCode, SignInMethod, TenantKind};
use crate::auth::TenantTarget;
use crate::cloud::CloudProfile;

use super::Session;

impl Session {
    pub(crate) async fn target_for(&self, kind: TenantKind) -> Result<TenantTarget, ApiError> {
        match kind {
            TenantKind::Demo => {
                let e = self.demo.start().await.map_err(|d| {
                    ApiError::new(ErrorCode::Network, "The demo tenant could not be started. Try again; if it keeps failing, restart Elevate.").with_detail(d)
                })?;
                let profile = CloudProfile::from_emulator(&e).map_err(|d| {
                    ApiError::new(
                        ErrorCode::Internal,
                        "The demo tenant reported an invalid address.",
                    )
                    .with_detail(d.to_string())
                })?;
                Ok(TenantTarget {
                    kind,
                    tenant: e.tenant_id,
                    client_id: e.client_id,
                    profile,
                })
            }
            TenantKind::Organization => {
                let s = self.settings.load();
                if s.tenant_id.is_empty() || s.client_id.is_empty() {
                    return Err(ApiError::new(ErrorCode::Config, "Set up your organization first: enter the directory (tenant) ID and application (client) ID in Settings."));
                }
                Ok(TenantTarget {
                    kind,
                    tenant: s.tenant_id,
                    client_id: s.client_id,
                    profile: CloudProfile::for_cloud(s.cloud),
                })
            }
        }
    }

    /// Device code only when the managed configuration allows it: the app registration
    /// then has "Allow public client flows" on, and anyone could phish a code for it, so it is
    /// IT's decision, not the user's.
    pub(super) fn device_code_check(&self, method: SignInMethod) -> Result<(), ApiError> {
        if method == SignInMethod::DeviceCode && !self.settings.load().allow_device_code {
            return Err(ApiError::new(
                ErrorCode::Config,
                "Signing in with a device code is turned off. Sign in with your browser instead; if this computer cannot use a browser, ask your IT department to allow device-code sign-in (allowDeviceCode in Elevate's managed configuration).",
            ));
        }
        Ok(())
    }
}
