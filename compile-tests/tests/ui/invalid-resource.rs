mod integrations {
    conv_api::conv_api!("tests/ui/invalid-resource.yaml");
}

fn main() {}
