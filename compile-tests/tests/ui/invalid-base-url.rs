mod integrations {
    conv_api::conv_api!("tests/ui/invalid-base-url.yaml");
}

fn main() {}
