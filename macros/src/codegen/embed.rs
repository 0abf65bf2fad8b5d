//! The checked model as `const` Rust expressions, embedded as static data.
//!
//! Each model type destructures exhaustively, so a field added to the model
//! fails to compile here until it is embedded too. No secret value is ever in
//! the model (only secret names), so none is ever embedded.

use conv_api_definitions::{
    ApiKeyAuth, Auth, BasicAuth, CredentialsLocation, Definitions, Environment, EnvironmentConfig, KeyLocation, Method,
    OAuth2Auth, Operation, Piece, QueryParam, RetrySettings, SecretRef, SecretSource, Setting, Span, Spanned, Template,
    Tls,
};
use proc_macro2::TokenStream;
use quote::quote;
use std::time::Duration;

/// A model value that can be written as a `const` expression.
pub(crate) trait Embed {
    fn embed(&self) -> TokenStream;
}

/// `::conv_api::__private::<name>`.
fn private(name: &str) -> TokenStream {
    let ident = proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
    quote!(::conv_api::__private::#ident)
}

impl Embed for str {
    fn embed(&self) -> TokenStream {
        let cow = private("Cow");
        quote!(#cow::Borrowed(#self))
    }
}

impl<T: Embed + Clone> Embed for [T] {
    fn embed(&self) -> TokenStream {
        let cow = private("Cow");
        let items = self.iter().map(Embed::embed);
        quote!(#cow::Borrowed(&[#(#items),*]))
    }
}

impl<T: Embed> Embed for Option<T> {
    fn embed(&self) -> TokenStream {
        match self {
            Some(value) => {
                let value = value.embed();
                quote!(::core::option::Option::Some(#value))
            }
            None => quote!(::core::option::Option::None),
        }
    }
}

impl Embed for std::borrow::Cow<'static, str> {
    fn embed(&self) -> TokenStream {
        self.as_ref().embed()
    }
}

impl<T: Embed + Clone> Embed for std::borrow::Cow<'static, [T]> {
    fn embed(&self) -> TokenStream {
        self.as_ref().embed()
    }
}

impl Embed for bool {
    fn embed(&self) -> TokenStream {
        quote!(#self)
    }
}

impl Embed for u32 {
    fn embed(&self) -> TokenStream {
        quote!(#self)
    }
}

impl Embed for usize {
    fn embed(&self) -> TokenStream {
        quote!(#self)
    }
}

impl Embed for Duration {
    fn embed(&self) -> TokenStream {
        let micros = u64::try_from(self.as_micros()).unwrap_or(u64::MAX);
        let duration = private("Duration");
        quote!(#duration::from_micros(#micros))
    }
}

impl Embed for Span {
    fn embed(&self) -> TokenStream {
        let (line, column) = (self.line as usize, self.column as usize);
        let span = private("Span");
        quote!(#span::new(#line, #column))
    }
}

impl<T: Embed> Embed for Spanned<T> {
    fn embed(&self) -> TokenStream {
        let (value, span) = (self.value.embed(), self.span.embed());
        let spanned = private("Spanned");
        quote!(#spanned::new(#value, #span))
    }
}

/// Implements [`Embed`] for a fieldless enum, variant by variant.
macro_rules! embed_unit_enum {
    ($type:ident { $($variant:ident),* $(,)? }) => {
        impl Embed for $type {
            fn embed(&self) -> TokenStream {
                let ty = private(stringify!($type));
                match self {
                    $($type::$variant => quote!(#ty::$variant),)*
                }
            }
        }
    };
}

embed_unit_enum!(Environment { Sandbox, PreRelease, Live });
embed_unit_enum!(Method { Get, Post, Patch, Put, Delete });
embed_unit_enum!(KeyLocation { Header, Query });
embed_unit_enum!(CredentialsLocation { Header, Body });
embed_unit_enum!(SecretSource { Explicit, Conventional });

impl Embed for Definitions {
    fn embed(&self) -> TokenStream {
        let Definitions { apis } = self;
        let (ty, apis) = (private("Definitions"), apis.embed());
        quote!(#ty { apis: #apis })
    }
}

impl Embed for conv_api_definitions::Api {
    fn embed(&self) -> TokenStream {
        let conv_api_definitions::Api { name, description, environments, operations, timeout, retry } = self;
        let ty = private("Api");
        let (name, description, environments) = (name.embed(), description.embed(), environments.embed());
        let (operations, timeout, retry) = (operations.embed(), timeout.embed(), retry.embed());
        quote!(#ty {
            name: #name, description: #description, environments: #environments,
            operations: #operations, timeout: #timeout, retry: #retry,
        })
    }
}

impl Embed for EnvironmentConfig {
    fn embed(&self) -> TokenStream {
        let EnvironmentConfig { environment, span, base_url, auth, tls } = self;
        let ty = private("EnvironmentConfig");
        let (environment, span, base_url) = (environment.embed(), span.embed(), base_url.embed());
        let (auth, tls) = (auth.embed(), tls.embed());
        quote!(#ty { environment: #environment, span: #span, base_url: #base_url, auth: #auth, tls: #tls })
    }
}

impl Embed for Auth {
    fn embed(&self) -> TokenStream {
        let ty = private("Auth");
        match self {
            Auth::None => quote!(#ty::None),
            Auth::Basic(basic) => {
                let basic = basic.embed();
                quote!(#ty::Basic(#basic))
            }
            Auth::ApiKey(key) => {
                let key = key.embed();
                quote!(#ty::ApiKey(#key))
            }
            Auth::OAuth2(oauth) => {
                let oauth = oauth.embed();
                quote!(#ty::OAuth2(#oauth))
            }
        }
    }
}

impl Embed for BasicAuth {
    fn embed(&self) -> TokenStream {
        let BasicAuth { username, password } = self;
        let (ty, username, password) = (private("BasicAuth"), username.embed(), password.embed());
        quote!(#ty { username: #username, password: #password })
    }
}

impl Embed for ApiKeyAuth {
    fn embed(&self) -> TokenStream {
        let ApiKeyAuth { location, name, prefix, value } = self;
        let ty = private("ApiKeyAuth");
        let (location, name, prefix, value) = (location.embed(), name.embed(), prefix.embed(), value.embed());
        quote!(#ty { location: #location, name: #name, prefix: #prefix, value: #value })
    }
}

impl Embed for OAuth2Auth {
    fn embed(&self) -> TokenStream {
        let OAuth2Auth { token_url, client_id, client_secret, scope, credentials, header_name, token_prefix } = self;
        let ty = private("OAuth2Auth");
        let (token_url, client_id, client_secret) = (token_url.embed(), client_id.embed(), client_secret.embed());
        let (scope, credentials) = (scope.embed(), credentials.embed());
        let (header_name, token_prefix) = (header_name.embed(), token_prefix.embed());
        quote!(#ty {
            token_url: #token_url, client_id: #client_id, client_secret: #client_secret, scope: #scope,
            credentials: #credentials, header_name: #header_name, token_prefix: #token_prefix,
        })
    }
}

impl Embed for Setting {
    fn embed(&self) -> TokenStream {
        let ty = private("Setting");
        match self {
            Setting::Literal(text) => {
                let text = text.embed();
                quote!(#ty::Literal(#text))
            }
            Setting::Secret(secret) => {
                let secret = secret.embed();
                quote!(#ty::Secret(#secret))
            }
        }
    }
}

impl Embed for SecretRef {
    fn embed(&self) -> TokenStream {
        let SecretRef { name, source, required } = self;
        let (ty, name, source, required) = (private("SecretRef"), name.embed(), source.embed(), required.embed());
        quote!(#ty { name: #name, source: #source, required: #required })
    }
}

impl Embed for Tls {
    fn embed(&self) -> TokenStream {
        let Tls { ca, client_cert, client_key } = self;
        let (ty, ca, client_cert, client_key) = (private("Tls"), ca.embed(), client_cert.embed(), client_key.embed());
        quote!(#ty { ca: #ca, client_cert: #client_cert, client_key: #client_key })
    }
}

impl Embed for Operation {
    fn embed(&self) -> TokenStream {
        let Operation { name, method, resource, description, idempotent, timeout, retry } = self;
        let ty = private("Operation");
        let (name, method, resource, description) =
            (name.embed(), method.embed(), resource.embed(), description.embed());
        let (idempotent, timeout, retry) = (idempotent.embed(), timeout.embed(), retry.embed());
        quote!(#ty {
            name: #name, method: #method, resource: #resource, description: #description,
            idempotent: #idempotent, timeout: #timeout, retry: #retry,
        })
    }
}

impl Embed for RetrySettings {
    fn embed(&self) -> TokenStream {
        let RetrySettings { attempts, base_delay, max_delay } = self;
        let ty = private("RetrySettings");
        let (attempts, base_delay, max_delay) = (attempts.embed(), base_delay.embed(), max_delay.embed());
        quote!(#ty { attempts: #attempts, base_delay: #base_delay, max_delay: #max_delay })
    }
}

impl Embed for Template {
    fn embed(&self) -> TokenStream {
        let Template { source, path, query, variables } = self;
        let ty = private("Template");
        let (source, path, query, variables) = (source.embed(), path.embed(), query.embed(), variables.embed());
        quote!(#ty { source: #source, path: #path, query: #query, variables: #variables })
    }
}

impl Embed for Piece {
    fn embed(&self) -> TokenStream {
        let ty = private("Piece");
        match self {
            Piece::Literal(text) => {
                let text = text.embed();
                quote!(#ty::Literal(#text))
            }
            Piece::Variable(index) => quote!(#ty::Variable(#index)),
        }
    }
}

impl Embed for QueryParam {
    fn embed(&self) -> TokenStream {
        let QueryParam { name, value } = self;
        let (ty, name, value) = (private("QueryParam"), name.embed(), value.embed());
        quote!(#ty { name: #name, value: #value })
    }
}
