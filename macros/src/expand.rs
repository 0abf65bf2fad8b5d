//! From the path literal to tokens: read the file, check it (in the definitions
//! crate), report its problems as compile errors, and generate what it defines.

use conv_api_definitions::{parse_bytes_with_recovery, MacroWarning, Recovered, MAX_FILE_BYTES};
use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;

use crate::codegen::{generate, tracking, Tracked};
use crate::input;

/// Expands `conv_api!(literal)`: the generated code, or errors next to a best-effort
/// `Api` (none when nothing could be read).
pub(crate) fn expand(literal: &LitStr, krate: &TokenStream) -> TokenStream {
    let written = literal.value();
    let mut file = match input::read(&written, literal.span().local_file().as_deref()) {
        Ok(file) => file,
        Err(message) => return syn::Error::new(literal.span(), message).to_compile_error(),
    };
    if !input::reads_override() {
        let span = literal.span();
        file.shown = input::shown_as_source(file.shown, &file.absolute, &span.file(), span.local_file().as_deref());
    }
    let shown = &file.shown;
    let Recovered { definitions, diagnostics, lost_calls, .. } = parse_bytes_with_recovery(shown, &file.bytes);
    let errors = diagnostics.errors().map(|d| {
        let line = d.render(shown);
        syn::Error::new(literal.span(), line).to_compile_error()
    });
    let warnings = diagnostics.items.iter().filter_map(|d| {
        let constant = match d.macro_warning? {
            MacroWarning::WrittenCredential => "written_credential",
            MacroWarning::ForeignVariable => "foreign_variable",
        };
        Some(compiler_warning(literal, constant, &d.render(shown)))
    });
    // a file over the size limit is not tracked: rustc would read all of it
    let path = (file.bytes.len() <= MAX_FILE_BYTES).then(|| file.absolute.to_string_lossy().into_owned());
    let tracked = path.as_deref().map(|path| Tracked { path, override_variable: input::reads_override() });
    let failed = diagnostics.has_errors();
    if failed && (lost_calls || definitions.apis.is_empty()) {
        // no `Api` at all: rustc then tells no use of it (a module whose macro failed
        // may lack it), where an `Api` without an API or operation the code calls would
        // make each call an error of its own
        let track = tracked.map(tracking);
        return quote!(#(#errors)* #(#warnings)* #track);
    }
    let generated = generate(&definitions, &written, tracked, krate);
    quote!(#(#errors)* #(#warnings)* #generated)
}

/// A compiler warning at the path literal saying `line`: the use of a deprecated
/// constant named `constant`, whose note it is, the one way a macro can warn on
/// stable Rust. Only the use is at the literal: rustc does not lint the style of a
/// name a macro made (`written_credential`, part of the warning's text), and an
/// `allow` would be an error in a crate that forbids the lint.
fn compiler_warning(literal: &LitStr, constant: &str, line: &str) -> TokenStream {
    let used = quote::format_ident!("{}", constant, span = literal.span());
    let constant = quote::format_ident!("{}", constant);
    quote! {
        const _: () = {
            #[deprecated(note = #line)]
            const #constant: () = ();
            #used
        };
    }
}
