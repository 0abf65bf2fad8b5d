mod integrations {
    conv_api::conv_api!("tests/ui/missing-key.yaml");
}

fn main() {}
