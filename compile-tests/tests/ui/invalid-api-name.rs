mod integrations {
    conv_api::conv_api!("tests/ui/invalid-api-name.yaml");
}

fn main() {}
