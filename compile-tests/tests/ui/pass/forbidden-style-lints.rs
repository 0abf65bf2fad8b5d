//! A crate that forbids the style lints builds: the names of the file are used as
//! written (`getUser`, `{None}`, `__`), which rustc does not lint in a macro's
//! output, and the macro allows none of these lints (an `allow` under a `forbid` is
//! an error), not even for the constant that carries a written credential's warning.
#![forbid(nonstandard_style, non_snake_case, non_upper_case_globals)]
// the credential's warning itself is `credential-written.rs`'s; here it would only be noise
#![allow(deprecated)]

mod odd_names {
    conv_api::conv_api!("tests/ui/pass/odd-names.yaml");
}

mod credential_written {
    conv_api::conv_api!("tests/ui/credential-written.yaml");
}

fn main() {
    let _ = size_of::<odd_names::Api>();
    let _ = size_of::<credential_written::Api>();
}
