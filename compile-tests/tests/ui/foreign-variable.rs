//! A resource variable written as another tool writes it (`:ticket_id`, `${id}`)
//! is a warning where the code is built: for `:ticket_id` the method takes no
//! argument, and rustc alone would only say to drop the one given. Denied here, so
//! that the build shows it.
#![deny(deprecated)]

mod integrations {
    conv_api::conv_api!("tests/ui/foreign-variable.yaml");
}

fn main() {}
