//! The demo tenant: the emulator started in-process on 127.0.0.1 the first time the user
//! explores it. `ELEVATE_DEMO_TENANT_URL` points at an already running emulator instead
//! (the end-to-end tests use that to share one emulator across app restarts; a release
//! build honours it only for a loopback address).

use std::sync::Arc;

use elevate_core::cloud::EmulatorEndpoints;
#[cfg(feature = "demo-tenant")]
use elevate_tenant::{Emulator, EmulatorOptions, Scenario};

pub fn host() -> Arc<DemoHost> {
    Arc::new(DemoHost::from_env())
}

pub struct DemoHost {
    external: Option<String>,
    #[cfg(feature = "demo-tenant")]
    running: tokio::sync::Mutex<Option<(Emulator, EmulatorEndpoints)>>,
    base_url: std::sync::Mutex<Option<String>>,
}

impl DemoHost {
    pub fn from_env() -> Self {
        use elevate_core::settings::switches;
        // Release builds take only an emulator on this computer's loopback address.
        let external = switches::demo_tenant_url(
            std::env::var(switches::DEMO_TENANT_URL).ok(),
            switches::DEBUG_BUILD,
        );
        Self {
            external,
            #[cfg(feature = "demo-tenant")]
            running: Default::default(),
            base_url: Default::default(),
        }
    }
}

#[async_trait::async_trait]
impl elevate_core::DemoTenant for DemoHost {
    async fn start(&self) -> Result<EmulatorEndpoints, String> {
        if let Some(url) = &self.external {
            let endpoints: EmulatorEndpoints =
                reqwest::get(format!("{}/_emulator/endpoints", url.trim_end_matches('/')))
                    .await
                    .map_err(|e| format!("the demo tenant at {url} is not reachable: {e}"))?
                    .json()
                    .await
                    .map_err(|e| format!("the demo tenant at {url} answered oddly: {e}"))?;
            *self.base_url.lock().expect("lock") = Some(url.trim_end_matches('/').to_string());
            return Ok(endpoints);
        }
        self.start_in_process().await
    }

    fn base_url(&self) -> Option<String> {
        self.base_url.lock().expect("lock").clone()
    }

    fn keeps_sessions(&self) -> bool {
        // An external emulator outlives the app; the in-process one starts empty each run.
        self.external.is_some()
    }
}

impl DemoHost {
    #[cfg(not(feature = "demo-tenant"))]
    async fn start_in_process(&self) -> Result<EmulatorEndpoints, String> {
        Err("this build of Elevate was made without the demo tenant".into())
    }

    #[cfg(feature = "demo-tenant")]
    async fn start_in_process(&self) -> Result<EmulatorEndpoints, String> {
        let mut running = self.running.lock().await;
        if let Some((_, e)) = running.as_ref() {
            return Ok(e.clone());
        }
        let scenario = Scenario::builtin("demo").map_err(|e| e.to_string())?;
        let emulator = Emulator::start(EmulatorOptions {
            scenario,
            listen: ([127, 0, 0, 1], 0).into(),
        })
        .await
        .map_err(|e| e.to_string())?;
        let e = emulator.endpoints();
        let endpoints = EmulatorEndpoints {
            authority: e.authority,
            graph: e.graph,
            powerplatform: e.powerplatform,
            bap: e.bap,
            tenant_id: e.tenant_id,
            client_id: e.client_id,
            cloud: serde_json::from_value(
                serde_json::to_value(e.cloud).map_err(|x| x.to_string())?,
            )
            .map_err(|x| x.to_string())?,
        };
        tracing::info!(base_url = %emulator.base_url(), "demo tenant started");
        *self.base_url.lock().expect("lock") = Some(emulator.base_url());
        *running = Some((emulator, endpoints.clone()));
        Ok(endpoints)
    }
}
