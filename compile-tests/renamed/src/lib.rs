//! The macro where `conv-api` is a dependency named `agent_apis`: no `conv_api`
//! crate is in scope, so the generated code must name the crate the macro came from.

agent_apis::conv_api!("../tests/ui/valid.yaml");

/// The same through a path of this crate's own, as a crate that re-exports
/// `conv-api` for its users offers it.
pub mod platform {
    pub use agent_apis as apis;

    /// The operations, generated through the re-exported path.
    pub mod generated {
        crate::platform::apis::conv_api!("../tests/ui/valid.yaml");
    }
}

/// Names the file allows that lints users turn on would flag in generated public
/// items (`_private`, a field from a leading `_`): the generated code allows them,
/// so a library under `clippy::pedantic` builds.
#[deny(clippy::pedantic, missing_docs, unreachable_pub)]
pub mod strict {
    agent_apis::conv_api!("underscore-names.yaml");
}

#[cfg(test)]
mod tests {
    use agent_apis::mocks::{Mocks, Rule};
    use agent_apis::{Environment, Runtime};

    #[tokio::test]
    async fn generated_calls_run_under_the_renamed_crate() {
        let mocks =
            Mocks::new().with(Rule::on("zendesk", "get_comment").when_path("comment_id", 2).status(204).times(2));
        let runtime = Runtime::builder().environment(Environment::Sandbox).mocks(mocks).build().unwrap();
        let conv = runtime.conversation::<super::Api>();
        assert_eq!(conv.api.zendesk.get_comment(1, 2).await.unwrap().status_code(), 204);
        let conv = runtime.conversation::<super::platform::generated::Api>();
        assert_eq!(conv.api.zendesk.get_comment(1, 2).await.unwrap().status_code(), 204);
    }
}
