mod integrations {
    conv_api::conv_api!("tests/ui/many-errors.yaml");
}

fn main() {}
