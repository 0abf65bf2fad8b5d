mod integrations {
    conv_api::conv_api!("/etc/apis.yaml");
}

fn main() {}
