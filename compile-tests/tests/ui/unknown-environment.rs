mod integrations {
    conv_api::conv_api!("tests/ui/unknown-environment.yaml");
}

fn main() {}
