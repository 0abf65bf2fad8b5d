//! Editing the definitions file rebuilds the crate that uses `conv_api!`: the
//! macro's output includes the file with `include_bytes!`, so cargo tracks it.
//!
//! Checks a scratch crate twice with `cargo check` (offline, in a target directory
//! of its own), editing only the definitions file in between: its code calls an
//! operation the edit removes, so the first check passes and the second fails on
//! that call alone. Were the file not tracked, the crate would be fresh and the
//! second check would pass too.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ONE_OPERATION: &str = "api_integrations:
  - name: shop
    environments: { sandbox: { base_url: \"https://shop.example\" } }
    operations:
      - { name: get_order, method: GET, resource: \"/orders/{id}\" }
";

/// Agent code as the README's first example writes it, type-checked and never run: it
/// compiles with `conv-api` as the crate's only dependency (no tokio, reqwest or serde).
const MAIN: &str = "mod integrations {
    conv_api::conv_api!(\"apis.yaml\");
}

use conv_api::{Conv, FunctionResult};
use integrations::{shop, Api};

fn main() {}

#[allow(dead_code, reason = \"compiled to check the generated code; never called\")]
async fn lookup_order(conv: &Conv<Api>, order_id: &str) -> conv_api::Result<FunctionResult> {
    let response = conv.api.shop.get_order(order_id)
        .query(&[(\"include\", \"items\")])
        .header(\"X-Request-Source\", \"agent\")
        .timeout(std::time::Duration::from_secs(2))
        .await?;
    if response.status_code() == 404 {
        conv.log.warning(format!(\"no order {order_id}\"));
        return Ok(FunctionResult::utterance(\"I couldn't find that order.\"));
    }
    let order: std::collections::HashMap<String, String> = response.raise_for_status()?.json()?;
    conv.log.info(\"order found\");
    let again = conv.api.shop.named.get_order(shop::args::GetOrder { id: 7 }).await?;
    Ok(FunctionResult::content(format!(\"{:?} {}\", order.get(\"status\"), again.text())))
}

#[allow(dead_code, reason = \"compiled to check the generated code; never called\")]
async fn cancel_order(conv: &Conv<Api>, order_id: &str) -> conv_api::Result<FunctionResult> {
    conv.api.shop.cancel_order(order_id).await?.raise_for_status()?;
    Ok(FunctionResult::utterance(\"Your order is cancelled.\"))
}
";

#[test]
fn editing_the_definitions_file_rebuilds_the_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = scratch_crate(root);

    let before = check(&scratch);
    assert!(before.status.success(), "the agent code checks: {}", String::from_utf8_lossy(&before.stderr));
    // the file is tracked, not copied into the library's metadata (it holds a 1 MiB comment)
    let metadata = std::fs::read_dir(scratch.join("target/debug/deps"))
        .expect("the check wrote its metadata")
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().starts_with("librebuild_on_edit"))
        .map(|entry| entry.metadata().map_or(0, |metadata| metadata.len()))
        .max()
        .expect("the crate's metadata");
    assert!(metadata < 256 * 1024, "{metadata} bytes of metadata");

    std::fs::write(scratch.join("apis.yaml"), ONE_OPERATION).expect("definitions are written");
    let after = check(&scratch);
    let errors = String::from_utf8_lossy(&after.stderr);
    assert!(!after.status.success(), "`cancel_order` is gone, so the check fails");
    assert_eq!(errors.matches("error[").count(), 1, "one error, for the removed operation: {errors}");
    assert!(errors.contains("no method named `cancel_order`"), "{errors}");
}

fn scratch_crate(root: &Path) -> PathBuf {
    let dir = root.join("target/tests/rebuild-on-edit");
    std::fs::create_dir_all(dir.join("src")).expect("scratch crate directory is created");
    let manifest = format!(
        "[package]\nname = \"rebuild-on-edit\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nconv-api = {{ path = {:?} }}\n\n[workspace]\n\n\
         # its build scripts and proc macros build faster without debug information\n\
         [profile.dev]\ndebug = false\n",
        root.display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("manifest is written");
    std::fs::write(dir.join("src/main.rs"), MAIN).expect("main is written");
    // a library's metadata, which a crate depending on it loads
    std::fs::write(dir.join("src/lib.rs"), "pub mod integrations {\n    conv_api::conv_api!(\"apis.yaml\");\n}\n")
        .expect("lib is written");
    let comment = format!("# {}\n", "x".repeat(1022)).repeat(1024);
    let two = format!(
        "{ONE_OPERATION}      - {{ name: cancel_order, method: DELETE, resource: \"/orders/{{id}}\" }}\n{comment}"
    );
    std::fs::write(dir.join("apis.yaml"), two).expect("definitions are written");
    if let Ok(lock) = std::fs::read(root.join("Cargo.lock")) {
        std::fs::write(dir.join("Cargo.lock"), lock).expect("lock file is copied");
    }
    dir
}

fn check(scratch: &Path) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    Command::new(cargo)
        .args(["check", "--quiet", "--offline", "--color=never"])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .env_remove("CONV_API_MANIFEST_DIR")
        .output()
        .expect("cargo runs")
}
