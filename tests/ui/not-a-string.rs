mod integrations {
    conv_api::conv_api!(apis);
}

fn main() {}
