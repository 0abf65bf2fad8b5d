mod integrations {
    conv_api::conv_api!(apis);
}

// `Api` is still there, without APIs: the one error is the macro's argument
use integrations::Api;

fn main() {
    let _ = std::any::type_name::<Api>();
}
