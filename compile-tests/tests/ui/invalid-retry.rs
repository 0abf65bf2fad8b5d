mod integrations {
    conv_api::conv_api!("tests/ui/invalid-retry.yaml");
}

fn main() {}
