//! A key written twice takes its last value, as PyYAML reads the file: a warning
//! where the code is built, not only from `conv-api check`; denied here, so that
//! the build shows it.
#![deny(deprecated)]

mod integrations {
    conv_api::conv_api!("tests/ui/duplicate-key.yaml");
}

fn main() {}
