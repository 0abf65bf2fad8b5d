//! What a path variable takes: any `Display` value, with a compile error that says so.

use std::fmt::Display;

/// A value a path variable of a generated operation takes: any type that implements
/// [`Display`] (a `&str`, a `String`, a number, an id type of yours), its text going
/// into the URL. Every `Display` type has it; it exists so that the compiler's error
/// for another type says what a path variable takes, and how to fix an `Option` or
/// an `args` struct given to the positional form.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// fn takes(_: impl conv_api::PathValue) {}
/// takes(42);
/// takes("T-1042");
/// takes(&String::from("T-1042"));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a path variable: it does not implement `Display`",
    label = "not a path variable's value",
    note = "a path variable takes any `impl Display` (a `&str`, a `String`, a number, an id type with a `Display` impl), whose text goes into the URL",
    note = "unwrap an `Option` first (`let Some(id) = id else {{ .. }}`); give an `args` struct to the named form, `conv.api.<api>.named.<operation>(..)`"
)]
pub trait PathValue: Display {}

impl<T: Display + ?Sized> PathValue for T {}
