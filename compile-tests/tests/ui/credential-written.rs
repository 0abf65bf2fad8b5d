//! A credential written in the file is a warning where the code is built, not only
//! from `conv-api check`; denied here, so that the build shows it.
#![deny(deprecated)]

mod integrations {
    conv_api::conv_api!("tests/ui/credential-written.yaml");
}

fn main() {}
