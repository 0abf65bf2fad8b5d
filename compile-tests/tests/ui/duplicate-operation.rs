mod integrations {
    conv_api::conv_api!("tests/ui/duplicate-operation.yaml");
}

fn main() {}
