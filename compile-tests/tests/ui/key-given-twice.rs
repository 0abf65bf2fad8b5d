//! A key given twice is a warning where the code is built, not only from
//! `conv-api check`: the first value is left out. Denied here, so that the build
//! shows it.
#![deny(deprecated)]

mod integrations {
    conv_api::conv_api!("tests/ui/key-given-twice.yaml");
}

fn main() {}
