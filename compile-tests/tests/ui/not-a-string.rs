mod integrations {
    conv_api::conv_api!(apis);
}

// no `Api` without a file: the one error is the macro's argument (rustc reports no
// use of an item missing from a module whose macro failed)
use integrations::Api;

fn main() {
    let _ = std::any::type_name::<Api>();
}
