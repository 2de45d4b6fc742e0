//! Clients of the Microsoft services, over one HTTP layer (`http`): bearer tokens from the
//! broker, retries with `Retry-After`, correlation ids, and the services' error envelopes
//! turned into one `ServiceError`.

pub(crate) mod bap;
pub(crate) mod dataverse;
pub mod entra;
pub mod graph;
pub mod http;
pub mod network;
pub(crate) mod odata;
pub(crate) mod power_platform;

pub use http::{Http, ServiceError, ServiceErrorKind};
