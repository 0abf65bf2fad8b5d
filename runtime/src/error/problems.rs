//! Several problems said as one message or one error.

use std::fmt;

use super::{Error, ErrorKind};

/// Several problems as one message: `N problems <what>: (1) .. (2) ..`, numbered, as
/// each may hold its own `;`.
pub(crate) fn numbered<T: fmt::Display>(what: &str, problems: &[T]) -> String {
    format!("{} problems {what}: {}", problems.len(), numbered_list(problems))
}

/// `items` numbered in one line: `(1) first (2) second`.
pub(crate) fn numbered_list<T: fmt::Display>(items: &[T]) -> String {
    let listed: Vec<String> = items.iter().enumerate().map(|(index, item)| format!("({}) {item}", index + 1)).collect();
    listed.join(" ")
}

/// The one error of `problems`: none for none, the problem itself when there is one
/// (with its source), else one error saying them all, [`numbered`], as
/// `N problems <what>: ..`: of their kind when they share one, else
/// [`ErrorKind::Config`], so that code matching one kind (`MissingSecret`: "set the
/// secret") is not told of only part of what is wrong.
pub(crate) fn all_of(mut problems: Vec<Error>, what: &str) -> Option<Error> {
    let first = problems.first()?.kind();
    if problems.len() == 1 {
        return problems.pop();
    }
    let kind = if problems.iter().all(|problem| problem.kind() == first) { first } else { ErrorKind::Config };
    Some(Error::new(kind, numbered(what, &problems)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_of_keeps_a_shared_kind_and_says_config_for_mixed_ones() {
        assert!(all_of(Vec::new(), "x").is_none());
        let missing = |name: &str| Error::new(ErrorKind::MissingSecret, format!("`{name}` is not set"));
        let one = all_of(vec![missing("A")], "with tls").expect("one problem");
        assert_eq!((one.kind(), one.to_string()), (ErrorKind::MissingSecret, "`A` is not set".to_string()));
        let shared = all_of(vec![missing("A"), missing("B")], "with tls").expect("two problems");
        assert_eq!(shared.kind(), ErrorKind::MissingSecret);
        assert_eq!(shared.to_string(), "2 problems with tls: (1) `A` is not set (2) `B` is not set");
        let mixed = all_of(vec![missing("A"), Error::new(ErrorKind::Config, "`B` is no PEM")], "with tls");
        let mixed = mixed.expect("two problems");
        assert_eq!(mixed.kind(), ErrorKind::Config);
        assert_eq!(mixed.to_string(), "2 problems with tls: (1) `A` is not set (2) `B` is no PEM");
    }
}
