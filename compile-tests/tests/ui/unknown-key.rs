mod integrations {
    conv_api::conv_api!("tests/ui/unknown-key.yaml");
}

fn main() {}
