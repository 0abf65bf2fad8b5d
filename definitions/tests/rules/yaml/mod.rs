//! Reading YAML: syntax errors and their fixes, numbers, merge keys, duplicate keys,
//! line endings, a module per subject.

use super::*;

mod anchors;
mod byte_order_marks;
mod indentation;
mod pyyaml;
mod quotes;
mod syntax;
