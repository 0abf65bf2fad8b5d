mod integrations {
    conv_api::conv_api!("tests/ui/no-such-file.yaml");
}

fn main() {}
