//! The generated code of checked definitions: the `Api` type, a module per API
//! with its client and `args` structs, the definitions embedded for the runtime.

mod docs;
mod names;

use conv_api_definitions::{canonical_json, Api, Definitions, Operation};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::input::MANIFEST_DIR_OVERRIDE;
use names::{args_struct_names, ident, module_names, parameter_names};

/// What a crate's build tracks, so that cargo rebuilds it when it changes.
pub(crate) struct Tracked<'a> {
    /// The definitions file's absolute path.
    pub(crate) path: &'a str,
    /// Whether the crate reads [`MANIFEST_DIR_OVERRIDE`] (a crate trybuild builds):
    /// another ignores it, and setting it does not rebuild that crate.
    pub(crate) override_variable: bool,
}

/// The whole output for checked `definitions` read from `file` (as the caller wrote
/// it); `tracked` is what rebuilds the crate, and `krate` the path of the `conv-api`
/// crate where the code expands (`$crate`, from `conv_api::conv_api!`), so that a
/// crate that renames it, or reaches it through one that re-exports it, needs nothing more.
///
/// The definitions are embedded in their canonical form, which the runtime reads
/// once: a single string is far cheaper to compile than the model as Rust literals.
/// Only `Api` implements `Clone` and `Debug`, each in one short function: deriving
/// them for every client took 9% of the instructions of a debug build.
pub(crate) fn generate(
    definitions: &Definitions,
    file: &str,
    tracked: Option<Tracked<'_>>,
    krate: &TokenStream,
) -> TokenStream {
    let track = tracked.map(tracking);
    let canonical = canonical_json(definitions);
    let module_names = module_names(definitions);
    let fields = definitions.apis.iter().zip(&module_names).map(|(api, module)| api_field(api, module));
    let bindings = definitions
        .apis
        .iter()
        .zip(&module_names)
        .enumerate()
        .map(|(index, (api, module))| api_binding(index, api, module));
    let modules = definitions.apis.iter().zip(&module_names).map(|(api, module)| api_module(api, module, krate));
    let api_doc = docs::api_set_doc(definitions);
    // every client holds a handle to the same conversation: bind them all again from the first
    let clone = match definitions.apis.first() {
        Some(api) => {
            let first = ident(api.name());
            quote!(<Self as #krate::__private::ApiSet>::bind(&self.#first.named.api.bindings()))
        }
        None => quote!(Api {}),
    };
    quote! {
        #track

        #[doc = #api_doc]
        pub struct Api {
            #(#fields)*
        }

        impl ::core::clone::Clone for Api {
            fn clone(&self) -> Self {
                #clone
            }
        }

        // parameters named as no caller's unit struct or constant will be: rustc refuses
        // a parameter named as one in scope, whatever the span's hygiene
        impl ::core::fmt::Debug for Api {
            fn fmt(&self, conv_api_formatter: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #krate::__private::fmt_api_set(<Self as #krate::__private::ApiSet>::definitions(), conv_api_formatter)
            }
        }

        impl #krate::__private::ApiSet for Api {
            fn definitions() -> &'static #krate::__private::Definitions {
                static DEFINITIONS: #krate::__private::EmbeddedDefinitions =
                    #krate::__private::EmbeddedDefinitions::new(#file, #canonical);
                DEFINITIONS.get()
            }

            fn bind(conv_api_bindings: &#krate::__private::Bindings) -> Self {
                Api { #(#bindings)* }
            }
        }

        #(#modules)*
    }
}

/// What rebuilds the crate: the file, when it changes, and the variable that may say
/// where it is, in a crate that reads it.
pub(crate) fn tracking(Tracked { path, override_variable }: Tracked<'_>) -> TokenStream {
    // in a function never called, so that the bytes stay out of the crate's metadata
    let file = quote!(
        const _: () = {
            fn _track() {
                let _ = ::core::include_bytes!(#path);
            }
        };
    );
    let variable = override_variable.then(|| {
        quote!(
            const _: ::core::option::Option<&::core::primitive::str> = ::core::option_env!(#MANIFEST_DIR_OVERRIDE);
        )
    });
    quote!(#file #variable)
}

/// The field of one API, whose types are in `module`; it is named without `self::`,
/// so the macro also expands inside a function body, where `self` would be the
/// enclosing module.
fn api_field(api: &Api, module: &syn::Ident) -> TokenStream {
    let name = ident(api.name());
    let doc = docs::api_doc(api, &docs::environments_line(api));
    let allow = allow_underscore(api.name());
    quote! {
        #[doc = #doc]
        #allow
        pub #name: #module::Client,
    }
}

/// For a field named with a leading `_` (`_private`, which the file allows), the
/// `allow` of clippy's pedantic `pub_underscore_fields`, which lints such a public
/// field even in a macro's output; only there, as an `allow` in a crate that forbids
/// the lint is an error of its own.
fn allow_underscore(name: &str) -> Option<TokenStream> {
    name.starts_with('_')
        .then(|| quote!(#[allow(clippy::pub_underscore_fields, reason = "named as the definitions file names it")]))
}

fn api_binding(index: usize, api: &Api, module: &syn::Ident) -> TokenStream {
    let name = ident(api.name());
    quote! {
        #name: #module::Client {
            named: #module::Named { api: conv_api_bindings.api(#index) },
        },
    }
}

/// The arguments, `&self` included, past which clippy's `too_many_arguments` lints a
/// function by default.
const CLIPPY_ARGUMENTS_THRESHOLD: usize = 7;

fn api_module(api: &Api, name: &syn::Ident, krate: &TokenStream) -> TokenStream {
    let module = name.to_string();
    let module_doc = format!("The operations of the `{}` API.", api.name());
    let environments = docs::environments_line(api);
    let client_doc = docs::api_doc(api, &environments);
    let named_doc = format!(
        "The `{}` operations with every path variable named at the call site, from [`args`] structs.",
        api.name()
    );
    let arg_structs = args_struct_names(api);
    // one doc per operation, shared by its two forms
    let operation_docs: Vec<Literal> = api
        .operations
        .iter()
        .map(|op| Literal::string(&docs::operation_doc(&module, api.name(), op, &environments)))
        .collect();
    let methods = api.operations.iter().enumerate().map(|(i, op)| positional_method(i, op, &operation_docs[i]));
    let named_methods =
        api.operations.iter().enumerate().map(|(i, op)| named_method(i, op, &operation_docs[i], &arg_structs[i]));
    let structs = api.operations.iter().zip(&arg_structs).filter_map(|(op, name)| args_struct(api, op, name));
    // short names for the signatures (fewer tokens to compile); imported only when used
    let request = (!api.operations.is_empty()).then(|| {
        quote!(
            use #krate::__private::Request;
        )
    });
    let has_variables = api.operations.iter().any(|op| !op.resource.variables.is_empty());
    let path_value = has_variables.then(|| {
        quote!(
            use #krate::PathValue;
        )
    });
    let imports = quote!(#request #path_value);
    // only where clippy's default threshold would lint a method: an `allow` in a crate
    // that forbids the lint (or `clippy::all`) is an error of its own
    let wide = api.operations.iter().any(|op| op.resource.variables.len() + 1 > CLIPPY_ARGUMENTS_THRESHOLD);
    let allow_wide =
        wide.then(|| quote!(#[allow(clippy::too_many_arguments, reason = "one argument per path variable")]));
    quote! {
        #[doc = #module_doc]
        pub mod #name {
            #imports

            #[doc = #client_doc]
            pub struct Client {
                #[doc = #named_doc]
                pub named: Named,
            }

            #allow_wide
            impl Client {
                #(#methods)*
            }

            #[doc = #named_doc]
            pub struct Named {
                pub(super) api: #krate::__private::ApiHandle,
            }

            impl Named {
                #(#named_methods)*
            }

            /// Arguments of the operations, each path variable a named field.
            pub mod args {
                #(#structs)*
            }
        }
    }
}

/// `pub fn get_ticket(&self, ticket_id: impl PathValue) -> Request`.
fn positional_method(index: usize, op: &Operation, doc: &Literal) -> TokenStream {
    let name = ident(op.name());
    let params = parameter_names(&op.resource.variables);
    let body = request_call(quote!(self.named.api), index, op, |position, _| {
        let param = &params[position];
        quote!(#param)
    });
    quote! {
        #[doc = #doc]
        #[inline(always)]
        pub fn #name(&self, #(#params: impl PathValue),*) -> Request {
            #body
        }
    }
}

/// `pub fn get_ticket(&self, args: args::GetTicket<impl PathValue>) -> Request`.
fn named_method(index: usize, op: &Operation, doc: &Literal, struct_name: &syn::Ident) -> TokenStream {
    let name = ident(op.name());
    let body = request_call(quote!(self.api), index, op, |_, variable| quote!(args.#variable));
    if op.resource.variables.is_empty() {
        return quote! {
            #[doc = #doc]
            #[inline(always)]
            pub fn #name(&self) -> Request {
                #body
            }
        };
    }
    let types = op.resource.variables.iter().map(|_| quote!(impl PathValue));
    quote! {
        #[doc = #doc]
        #[inline(always)]
        pub fn #name(&self, args: self::args::#struct_name<#(#types),*>) -> Request {
            #body
        }
    }
}

/// The request of operation `index` from the `ApiHandle` at `handle`, with its path
/// variables each read with `value` of its position and identifier (`ticket_id`
/// or `args.ticket_id`): one call of
/// `ApiHandle::request<N>` (the fewer tokens per operation, the faster the user's
/// crate compiles), or of `request` with a slice past three variables.
fn request_call(
    handle: TokenStream,
    index: usize,
    op: &Operation,
    value: impl Fn(usize, &syn::Ident) -> TokenStream,
) -> TokenStream {
    let variables = op.resource.variables.iter().enumerate();
    let values: Vec<TokenStream> = variables.map(|(position, variable)| value(position, &ident(variable))).collect();
    match values.as_slice() {
        [] => quote!(#handle.request0(#index)),
        [a] => quote!(#handle.request1(#index, #a)),
        [a, b] => quote!(#handle.request2(#index, #a, #b)),
        [a, b, c] => quote!(#handle.request3(#index, #a, #b, #c)),
        _ => quote!(#handle.request(#index, &[#(&#values as &dyn ::core::fmt::Display),*])),
    }
}

fn args_struct(api: &Api, op: &Operation, name: &syn::Ident) -> Option<TokenStream> {
    if op.resource.variables.is_empty() {
        return None;
    }
    let request = docs::code_span(&format!("{} {}", op.method, docs::shown_resource(op)));
    let doc = format!("The path variables of `{}.{}` ({request}), each by name.", api.name(), op.name());
    let generics: Vec<_> = (0..op.resource.variables.len()).map(|i| format_ident!("T{i}")).collect();
    let fields = op.resource.variables.iter().zip(&generics).map(|(v, g)| {
        let field = ident(v);
        // the resource once, in the struct's doc: repeated here, a resource of many
        // variables would make the expansion grow with their square
        let field_doc = format!("The value of `{{{v}}}` in the resource.");
        let allow = allow_underscore(v);
        quote!(#[doc = #field_doc] #allow pub #field: #g,)
    });
    Some(quote! {
        #[doc = #doc]
        pub struct #name<#(#generics),*> {
            #(#fields)*
        }
    })
}

#[cfg(test)]
mod tests;
