fn main() {
    for f in std::env::args().skip(1) {
        match conv_api_definitions::load(&f) {
            Ok(c) => { println!("ok {} apis", c.definitions.apis.len()); for l in c.warnings.lines() { println!("{l}"); } }
            Err(e) => println!("{e}"),
        }
    }
}
