mod integrations {
    conv_api::conv_api!("tests/ui/yaml-syntax-error.yaml");
}

fn main() {}
