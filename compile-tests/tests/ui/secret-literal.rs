mod integrations {
    conv_api::conv_api!("tests/ui/secret-literal.yaml");
}

fn main() {}
