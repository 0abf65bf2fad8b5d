//! Definitions loaded at run time, called by API and operation name.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use conv_api_definitions::names::{did_you_mean_hint, list_choices};
use conv_api_definitions::{canonical_json, load, parse_bytes, parse_embedded, Definitions, Diagnostics};

use crate::conversation::Bindings;
use crate::display_text::{cut_name, shown_name};
use crate::error::{Context, Error, ErrorKind, Result};
use crate::request::Request;

/// Definitions loaded at run time, checked with the same rules and messages as
/// `conv_api!`; cheap to clone and share.
///
/// ```no_run
/// # extern crate conv_api_runtime as conv_api;
/// # async fn run() -> conv_api::Result<()> {
/// use conv_api::{DynamicApis, Runtime};
/// let apis = DynamicApis::load("config/api_integrations.yaml")?;
/// let runtime = Runtime::builder().build()?;
/// let conv = runtime.dynamic_conversation(&apis);
/// let response = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 42).query(&[("include", "users")]).await?;
/// println!("{}", response.status_code());
/// # Ok(()) }
/// ```
#[derive(Clone, Default)]
pub struct DynamicApis {
    definitions: Arc<Definitions>,
    /// Shared, as the definitions are: a file may hold thousands of warnings.
    warnings: Option<Arc<Diagnostics>>,
}

impl DynamicApis {
    /// Reads and checks the definitions file at `path`. For the diagnostics one by one
    /// (line, column, severity), load with `conv_api::definitions::load` and wrap its
    /// definitions with [`from_definitions`](Self::from_definitions).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Definitions`] when the file has errors: its diagnostics, each with
    /// line and column, are the [`Error`]'s message. A file that cannot be read gives
    /// the same kind, wrapping the `std::io::Error` ([`Error::get_ref`]).
    pub fn load(path: impl AsRef<Path>) -> Result<DynamicApis> {
        let checked = load(path)?;
        Ok(DynamicApis::with_warnings(checked.definitions, checked.warnings))
    }

    /// Checks definitions given as `text`; `file` names them in messages.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Definitions`] when `text` has errors, or is larger than a
    /// definitions file may be: its diagnostics, each with line and column, are the
    /// [`Error`]'s message.
    pub fn parse(file: &str, text: &str) -> Result<DynamicApis> {
        // as bytes, as `load`, the macro and the CLI read a file: with its size limit
        let checked = parse_bytes(file, text.as_bytes()).map_err(definitions_error)?;
        Ok(DynamicApis::with_warnings(checked.definitions, checked.warnings))
    }

    /// Wraps `definitions`, checked again as a file is, through their canonical form
    /// ([`canonical_json`]): the model's fields are public, and a model built or
    /// changed in code may break a rule the reader keeps (an operation renamed
    /// `get ticket`, a resource's parsed pieces edited), which calls rely on.
    ///
    /// ```
    /// # mod conv_api { pub use conv_api_runtime::*; pub use conv_api_definitions as definitions; }
    /// use conv_api::DynamicApis;
    /// let yaml = "api_integrations:\n  - name: crm\n    environments: { live: { base_url: \"https://crm.example\" } }\n";
    /// let mut definitions = conv_api::definitions::parse_str("apis.yaml", yaml).unwrap().definitions;
    /// assert!(DynamicApis::from_definitions(&definitions).is_ok());
    /// definitions.apis.to_mut()[0].name.value = "CRM API".into();
    /// let error = DynamicApis::from_definitions(&definitions).unwrap_err();
    /// assert!(error.to_string().contains("`api_integrations[0].name` is `CRM API`"), "{error}");
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Definitions`] when they break a rule: the diagnostics name each
    /// element (`api_integrations[0].name`), their lines and columns those of the
    /// canonical form.
    pub fn from_definitions(definitions: &Definitions) -> Result<DynamicApis> {
        // without a file's size limit: the model is in memory already, and its
        // canonical form may be larger than its file (every default written out)
        let (checked, diagnostics) = parse_embedded("the definitions given", &canonical_json(definitions));
        if diagnostics.has_errors() {
            return Err(definitions_error(diagnostics));
        }
        // their warnings are the file's, which its reader had, at the canonical form's lines
        Ok(DynamicApis { definitions: Arc::new(checked), warnings: None })
    }

    fn with_warnings(definitions: Definitions, warnings: Diagnostics) -> DynamicApis {
        let warnings = (!warnings.items.is_empty()).then(|| Arc::new(warnings));
        DynamicApis { definitions: Arc::new(definitions), warnings }
    }

    /// The definitions.
    pub fn definitions(&self) -> &Definitions {
        &self.definitions
    }

    /// The warnings of the check (conventions not followed, such as a name that is
    /// not snake_case), if there are any; `None` too for definitions given already
    /// checked ([`from_definitions`](Self::from_definitions)).
    pub fn warnings(&self) -> Option<&Diagnostics> {
        self.warnings.as_deref()
    }

    pub(crate) fn shared(&self) -> Arc<Definitions> {
        self.definitions.clone()
    }
}

/// So that [`Mocks::load_for`](crate::mocks::Mocks::load_for) and
/// [`Mocks::parse_for`](crate::mocks::Mocks::parse_for) take `&apis` itself.
impl AsRef<Definitions> for DynamicApis {
    fn as_ref(&self) -> &Definitions {
        &self.definitions
    }
}

fn definitions_error(diagnostics: Diagnostics) -> Error {
    Error::new(ErrorKind::Definitions, diagnostics.to_string())
}

/// The APIs of a [`DynamicApis`] bound to one conversation: `conv.api.call(api,
/// operation)`. Clones share the conversation, as clones of a `Conv` do.
#[derive(Clone, Debug)]
pub struct DynamicApi {
    bindings: Bindings,
}

/// Counts, not the model: a file of a thousand APIs would print a megabyte into a
/// `tracing` field or a span that shows the value.
impl fmt::Debug for DynamicApis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DynamicApis")
            .field("apis", &self.definitions.apis.len())
            .field("operations", &self.definitions.operation_count())
            .field("warnings", &self.warnings.as_ref().map_or(0, |warnings| warnings.items.len()))
            .finish_non_exhaustive()
    }
}

/// The names a call asked for, which the definitions do not have: for its error and
/// its log entry, each cut as messages cut it (a name from a model's output may be
/// of any length, and the log keeps it for the conversation's life).
fn asked(api: &str, operation: &str) -> Context {
    // an empty name is none: `` `.`: `` would open the error's message
    let kept = |name: &str| (!name.is_empty()).then(|| cut_name(name).into_owned().into());
    Context { api: kept(api), operation: kept(operation), ..Context::default() }
}

impl DynamicApi {
    pub(crate) fn new(bindings: Bindings) -> DynamicApi {
        DynamicApi { bindings }
    }

    /// A request for `operation` of `api`; give its path variables by name with
    /// [`Request::arg`]. Unknown names, and missing or unknown variables, fail with
    /// [`ErrorKind::InvalidArgument`] listing the valid names when awaited.
    pub fn call(&self, api: &str, operation: &str) -> Request {
        let definitions = self.bindings.definitions();
        let Some(api_index) = definitions.apis.iter().position(|candidate| candidate.name() == api) else {
            let names = listed_names(
                definitions.apis.iter().map(|api| api.name()),
                "the APIs are",
                "the definitions have no API",
            );
            let hint = did_you_mean_hint(api, definitions.apis.iter().map(|api| api.name()));
            let message = match api {
                "" => format!("the API name is empty; {names}; nothing was sent"),
                _ => format!("there is no API `{}`; {hint}{names}; nothing was sent", shown_name(api)),
            };
            let error = Error::new(ErrorKind::InvalidArgument, message).with_context(&asked(api, operation));
            return Request::failed(self.bindings.api(UNDEFINED), UNDEFINED, error);
        };
        let handle = self.bindings.api(api_index);
        let operations = &definitions.apis[api_index].operations;
        match operations.iter().position(|candidate| candidate.name() == operation) {
            Some(index) => Request::named(handle, index),
            None => {
                let names =
                    listed_names(operations.iter().map(|op| op.name()), "its operations are", "it has no operations");
                let hint = did_you_mean_hint(operation, operations.iter().map(|op| op.name()));
                let message = match operation {
                    "" => format!("the operation name is empty; {names}; nothing was sent"),
                    _ => format!(
                        "API `{api}` has no operation `{}`; {hint}{names}; nothing was sent",
                        shown_name(operation)
                    ),
                };
                let error = Error::new(ErrorKind::InvalidArgument, message).with_context(&asked(api, operation));
                Request::failed(handle, UNDEFINED, error)
            }
        }
    }

    /// The definitions this conversation calls.
    pub fn definitions(&self) -> &Definitions {
        self.bindings.definitions()
    }
}

/// The index of an API or operation a call names but the definitions lack: no API or
/// operation has it, so the failed request's handle finds none (every lookup by
/// index is a `get`), and its log entry names what the call asked for.
const UNDEFINED: usize = usize::MAX;

/// `` `lead` `a`, `b` and `c` `` (the first
/// [`LISTED_AT_MOST`](conv_api_definitions::names::LISTED_AT_MOST) and how many
/// more), or `none` when there are no names: `` the APIs are `a` and `b` ``, `the
/// definitions have no API`.
pub(crate) fn listed_names<'a>(names: impl Iterator<Item = &'a str>, lead: &str, none: &str) -> String {
    let names = list_choices(names);
    match names.is_empty() {
        true => none.to_string(),
        false => format!("{lead} {names}"),
    }
}
