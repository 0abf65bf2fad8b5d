//! Definitions embedded by `conv_api!`: the checked file's canonical form, read once.

use std::borrow::Cow;
use std::sync::OnceLock;

use conv_api_definitions::{parse_embedded, Definitions};

/// What [`EmbeddedDefinitions::get`] gives for definitions that did not read back:
/// no API, told apart from a file of none by its address ([`did_not_read_back`]).
static NOT_READ_BACK: Definitions = Definitions { apis: Cow::Borrowed(&[]) };

/// Whether `definitions` are those of a generated `Api` whose embedded definitions
/// did not read back.
pub(crate) fn did_not_read_back(definitions: &Definitions) -> bool {
    std::ptr::eq(definitions, &NOT_READ_BACK)
}

/// The definitions a generated `Api` was built from, read on first use.
///
/// The macro checked the file when the crate was built and embedded its canonical
/// form (see `conv_api::definitions::canonical_json`), so reading it again cannot
/// fail unless the macro and runtime crates come from different versions. Then
/// nothing is used (generated calls name APIs and operations by position, which a
/// dropped one would shift onto another): every call fails, and the problems are
/// logged as a `tracing` error.
#[derive(Debug)]
pub struct EmbeddedDefinitions {
    file: &'static str,
    canonical: &'static str,
    /// `None` when they did not read back.
    definitions: OnceLock<Option<Definitions>>,
}

impl EmbeddedDefinitions {
    /// Definitions from `file` (as the macro's caller wrote it), in canonical form.
    pub const fn new(file: &'static str, canonical: &'static str) -> Self {
        EmbeddedDefinitions { file, canonical, definitions: OnceLock::new() }
    }

    /// The model, read the first time it is asked for; no API when it does not read back.
    pub fn get(&self) -> &Definitions {
        let read = self.definitions.get_or_init(|| {
            let (definitions, diagnostics) = parse_embedded(self.file, self.canonical);
            if diagnostics.has_errors() {
                tracing::error!(
                    target: "conv_api",
                    "the definitions embedded from `{}` do not read back; are conv-api-macros and conv-api-runtime the same version?\n{diagnostics}",
                    self.file
                );
                return None;
            }
            Some(definitions)
        });
        read.as_ref().unwrap_or(&NOT_READ_BACK)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_once_and_keeps_the_model() {
        static EMBEDDED: EmbeddedDefinitions = EmbeddedDefinitions::new(
            "apis.yaml",
            r#"{"api_integrations":[{"name":"shop","environments":{"live":{"base_url":"https://shop.example"}}}]}"#,
        );
        let first: *const Definitions = EMBEDDED.get();
        assert_eq!(EMBEDDED.get().apis[0].name(), "shop");
        assert!(std::ptr::eq(first, EMBEDDED.get()));
    }

    #[test]
    fn a_form_that_does_not_read_back_gives_nothing_so_no_call_goes_to_another_operation() {
        // the first operation does not read back: the second must not take its place
        let embedded = EmbeddedDefinitions::new(
            "apis.yaml",
            r#"{"api_integrations":[{"name":"shop","environments":{"live":{"base_url":"https://shop.example"}},"operations":[{"name":"get","method":"FETCH","resource":"/x"},{"name":"wipe","method":"DELETE","resource":"/x"}]}]}"#,
        );
        assert!(embedded.get().apis.is_empty());
        assert!(did_not_read_back(embedded.get()));
        assert!(!did_not_read_back(&Definitions::default()), "a file of no API read back");
    }
}
