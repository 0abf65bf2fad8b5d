//! Advice for keys and values a definitions file has no place for: where a
//! misplaced key belongs, what another format's key or variable syntax is written
//! as here, and where a request's own headers, body or query go instead.

pub(crate) mod elsewhere;
pub(crate) mod placement;
pub(crate) mod synonyms;
pub(crate) mod unit_keys;
pub(crate) mod variable_syntax;
