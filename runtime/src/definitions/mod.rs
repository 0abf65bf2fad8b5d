//! The definitions a runtime calls: embedded by `conv_api!` or loaded at run time,
//! and the sets its conversations are using.

pub(crate) mod dynamic;
pub(crate) mod embedded;
pub(crate) mod in_use;

pub use dynamic::{DynamicApi, DynamicApis};
pub use embedded::EmbeddedDefinitions;
