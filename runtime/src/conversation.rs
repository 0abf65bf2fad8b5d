//! A conversation: its APIs bound to the runtime, and its log.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use conv_api_definitions::{Api, Definitions, Operation};

use crate::log::Log;
use crate::request::Request;
use crate::runtime::Shared;

/// One conversation: `conv.api.<api>.<operation>(..)` to call, `conv.log` to note.
///
/// Create it with [`Runtime::conversation`](crate::Runtime::conversation) (generated
/// `Api` types) or [`Runtime::dynamic_conversation`](crate::Runtime::dynamic_conversation)
/// (definitions loaded at run time).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Conv<A> {
    /// The APIs; every call records an entry in [`log`](Conv::log).
    pub api: A,
    /// The conversation's log.
    pub log: Log,
}

/// The `Api` types the `conv_api!` macro generates, which it alone implements: the
/// bound of a function of yours that takes any of them.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::{ApiSet, Conv};
/// /// The APIs a conversation can call, by name.
/// fn api_names<A: ApiSet>(_conv: &Conv<A>) -> Vec<&'static str> {
///     A::definitions().apis.iter().map(|api| api.name()).collect()
/// }
/// ```
pub trait ApiSet: Sized + Send + Sync + 'static {
    /// The checked definitions the set was generated from.
    fn definitions() -> &'static Definitions;
    /// Binds every API of the set to a conversation.
    #[doc(hidden)]
    fn bind(bindings: &Bindings) -> Self;
}

/// The definitions a conversation calls: embedded by the macro or loaded at run time.
#[derive(Clone, Debug)]
pub(crate) enum DefinitionsRef {
    /// Embedded in the binary by `conv_api!`.
    Static(&'static Definitions),
    /// Loaded at run time.
    Shared(Arc<Definitions>),
}

impl std::ops::Deref for DefinitionsRef {
    type Target = Definitions;

    fn deref(&self) -> &Definitions {
        match self {
            DefinitionsRef::Static(definitions) => definitions,
            DefinitionsRef::Shared(definitions) => definitions,
        }
    }
}

/// What generated code binds its API clients to: the runtime, definitions and log
/// of one conversation; clones share them.
#[derive(Clone)]
pub struct Bindings {
    shared: Arc<Shared>,
    definitions: DefinitionsRef,
    log: Log,
}

impl Bindings {
    pub(crate) fn new(shared: Arc<Shared>, definitions: DefinitionsRef, log: Log) -> Bindings {
        Bindings { shared, definitions, log }
    }

    /// The handle of the API at `index` in file order.
    pub fn api(&self, index: usize) -> ApiHandle {
        ApiHandle {
            shared: self.shared.clone(),
            definitions: self.definitions.clone(),
            log: self.log.clone(),
            api: index,
        }
    }

    /// The definitions bound.
    pub(crate) fn definitions(&self) -> &Definitions {
        &self.definitions
    }
}

impl fmt::Debug for Bindings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bindings").field("apis", &self.definitions.apis.len()).finish_non_exhaustive()
    }
}

/// One API of one conversation: makes [`Request`]s for its operations.
#[derive(Clone)]
pub struct ApiHandle {
    pub(crate) shared: Arc<Shared>,
    pub(crate) definitions: DefinitionsRef,
    pub(crate) log: Log,
    pub(crate) api: usize,
}

impl ApiHandle {
    /// A request for the operation at `operation` (index in the API, file order) with
    /// the path variable values `args`, in template order; they are formatted now.
    pub fn request(&self, operation: usize, args: &[&dyn fmt::Display]) -> Request {
        Request::positional(self.clone(), operation, args)
    }

    /// [`request`](ApiHandle::request) without path variables: the body of a generated
    /// method, kept to one call so that each operation costs the compiler little.
    #[inline]
    pub fn request0(&self, operation: usize) -> Request {
        self.request(operation, &[])
    }

    /// [`request`](ApiHandle::request) with one path variable.
    #[inline]
    pub fn request1(&self, operation: usize, a: impl fmt::Display) -> Request {
        self.request(operation, &[&a])
    }

    /// [`request`](ApiHandle::request) with two path variables, in template order.
    #[inline]
    pub fn request2(&self, operation: usize, a: impl fmt::Display, b: impl fmt::Display) -> Request {
        self.request(operation, &[&a, &b])
    }

    /// [`request`](ApiHandle::request) with three path variables, in template order.
    #[inline]
    pub fn request3(
        &self,
        operation: usize,
        a: impl fmt::Display,
        b: impl fmt::Display,
        c: impl fmt::Display,
    ) -> Request {
        self.request(operation, &[&a, &b, &c])
    }

    /// The names of the API and of its operation at `operation`, borrowed from
    /// embedded definitions, copied from definitions loaded at run time.
    pub(crate) fn names(&self, operation: usize) -> (Option<Cow<'static, str>>, Option<Cow<'static, str>>) {
        fn name(api: Option<&Api>, operation: usize) -> Option<(&str, Option<&str>)> {
            api.map(|api| (api.name(), api.operations.get(operation).map(Operation::name)))
        }
        match &self.definitions {
            DefinitionsRef::Static(definitions) => match name(definitions.apis.get(self.api), operation) {
                Some((api, op)) => (Some(Cow::Borrowed(api)), op.map(Cow::Borrowed)),
                None => (None, None),
            },
            DefinitionsRef::Shared(_) => match name(self.definition(), operation) {
                Some((api, op)) => (Some(Cow::Owned(api.to_string())), op.map(|op| Cow::Owned(op.to_string()))),
                None => (None, None),
            },
        }
    }

    /// The bindings this handle was made from: a generated `Api`'s `Clone` binds its
    /// APIs again from those of its first.
    pub fn bindings(&self) -> Bindings {
        Bindings::new(self.shared.clone(), self.definitions.clone(), self.log.clone())
    }

    /// The API's definition, if the index is valid.
    pub(crate) fn definition(&self) -> Option<&Api> {
        self.definitions.apis.get(self.api)
    }

    /// The operation at `index` of this API, if both indexes are valid.
    pub(crate) fn operation(&self, index: usize) -> Option<&Operation> {
        self.definition()?.operations.get(index)
    }
}

/// The `Debug` of a generated `Api`: `Api { zendesk: Client { operations: 5, .. }, .. }`.
///
/// Written once here rather than derived for every generated client, whose own
/// `Debug` and `Clone` impls would cost each build of the user's crate.
///
/// # Errors
///
/// Only the [`fmt::Error`] of writing to `f`.
pub fn fmt_api_set(definitions: &Definitions, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    struct Client(usize);
    impl fmt::Debug for Client {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("Client").field("operations", &self.0).finish_non_exhaustive()
        }
    }
    let mut set = f.debug_struct("Api");
    for api in definitions.apis.iter() {
        set.field(api.name(), &Client(api.operations.len()));
    }
    set.finish()
}

impl fmt::Debug for ApiHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.definition().map_or("<unknown>", Api::name);
        f.debug_struct("ApiHandle").field("api", &name).finish_non_exhaustive()
    }
}
