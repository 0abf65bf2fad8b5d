//! The typed model of a definitions file, shared by the macro, the CLI and the runtime.
//!
//! The `conv_api!` macro embeds the checked model in its canonical form
//! ([`canonical_json`](crate::canonical_json)), which the runtime reads back into
//! these types once; the dynamic loader builds the same types from a file.

mod auth;
mod environment;
mod operation;

pub use auth::*;
pub use environment::*;
pub use operation::*;

use std::borrow::Cow;
use std::time::Duration;

/// Text in the model: owned when read from a file, borrowed when built in code from
/// static text.
pub type Text = Cow<'static, str>;
/// A list in the model: owned when read from a file, borrowed when built in code from
/// a static list.
pub type List<T> = Cow<'static, [T]>;

/// A position in a definitions file: 1-based line and column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// Line, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub column: u32,
}

impl Span {
    /// A span at `line` and `column` (both 1-based).
    pub const fn new(line: usize, column: usize) -> Self {
        Span { line: clamp_u32(line), column: clamp_u32(column) }
    }

    /// Where the character after `text`, the start of a file, is. Lines end as YAML
    /// ends them: at `\n`, `\r\n`, or a `\r` alone.
    ///
    /// ```
    /// use conv_api_definitions::Span;
    /// assert_eq!(Span::after("a: 1\ncafé"), Span::new(2, 5));
    /// assert_eq!(Span::after("a: 1\r\nb: 2\rc"), Span::new(3, 2));
    /// ```
    pub fn after(text: &str) -> Self {
        let breaks =
            text.match_indices(['\r', '\n']).filter(|&(at, found)| found == "\n" || !text[at + 1..].starts_with('\n'));
        let line_start = text.rfind(['\r', '\n']).map_or(0, |at| at + 1);
        Span::new(breaks.count() + 1, text[line_start..].chars().count() + 1)
    }

    /// Where this span is, said from `here`, for "(first at ...)": its line, with its
    /// column when `here` is on the same line (a one-line JSON file).
    pub(crate) fn said_from(self, here: Span) -> String {
        match self.line == here.line {
            true => format!("line {}, column {}", self.line, self.column),
            false => format!("line {}", self.line),
        }
    }
}

const fn clamp_u32(value: usize) -> u32 {
    if value > u32::MAX as usize {
        u32::MAX
    } else {
        value as u32
    }
}

/// A value with the position it was written at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Pairs `value` with `span`.
    pub const fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// A whole definitions file: its APIs, in file order.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Definitions {
    /// The entries of `api_integrations`.
    pub apis: List<Api>,
}

impl Definitions {
    /// The API called `name`.
    pub fn api(&self, name: &str) -> Option<&Api> {
        self.apis.iter().find(|api| api.name.value == name)
    }

    /// How many operations all APIs have together.
    pub fn operation_count(&self) -> usize {
        self.apis.iter().map(|api| api.operations.len()).sum()
    }
}

/// For functions that take definitions or what holds them (the runtime's
/// `DynamicApis`).
impl AsRef<Definitions> for Definitions {
    fn as_ref(&self) -> &Definitions {
        self
    }
}

/// One external API: `conv.api.<name>`.
#[derive(Clone, Debug, PartialEq)]
pub struct Api {
    /// The API's name, `^[a-z_][a-z0-9_]*$`.
    pub name: Spanned<Text>,
    /// What the API is for.
    pub description: Option<Text>,
    /// The environments configured in the file, in file order.
    pub environments: List<EnvironmentConfig>,
    /// The operations, in file order.
    pub operations: List<Operation>,
    /// Total time of one attempt, for every operation that does not set its own.
    pub timeout: Option<Duration>,
    /// Retry settings for every operation, field by field under the operation's own.
    pub retry: RetrySettings,
}

impl Api {
    /// The API's name.
    pub fn name(&self) -> &str {
        &self.name.value
    }

    /// The operation called `name`.
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.iter().find(|op| op.name.value == name)
    }

    /// The configuration of `environment`, if the file has one.
    pub fn environment(&self, environment: Environment) -> Option<&EnvironmentConfig> {
        self.environments.iter().find(|e| e.environment == environment)
    }

    /// The environments whose base URL is set, in file order.
    pub fn wired_environments(&self) -> impl Iterator<Item = &EnvironmentConfig> {
        self.environments.iter().filter(|e| e.is_wired())
    }

    /// Whether the API has a base URL in `environment`.
    pub fn is_wired_in(&self, environment: Environment) -> bool {
        self.environment(environment).is_some_and(EnvironmentConfig::is_wired)
    }
}
