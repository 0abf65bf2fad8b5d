mod integrations {
    conv_api::conv_api!("tests/ui/credentials-over-http.yaml");
}

fn main() {}
