//! Auth types and their settings, literals and secret references: a module per
//! subject, sharing the helpers below.

use super::*;

mod headers;
mod oauth2;
mod placeholders;
mod secrets;
mod settings;
mod types;

fn explicit(name: &str) -> Setting {
    Setting::Secret(SecretRef { name: name.to_string().into(), source: SecretSource::Explicit, required: true })
}

/// An `oauth2` environment of API `crm` whose `auth:` is `auth` (flow style).
fn oauth2_with(auth: &str) -> String {
    format!("api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: https://crm.example\n        auth_type: oauth2\n        auth: {auth}\n")
}
