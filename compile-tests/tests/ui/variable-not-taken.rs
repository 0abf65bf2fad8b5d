//! A resource variable written as another tool writes it (`:ticket_id`) is a
//! warning where the code is built: the method takes no argument for it, and
//! rustc alone would only say to drop the one given. Denied here, so that the build
//! shows it.
#![deny(deprecated)]

mod integrations {
    conv_api::conv_api!("tests/ui/variable-not-taken.yaml");
}

fn main() {}
