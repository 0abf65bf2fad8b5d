const _: &str = ::core::include_str!("../../../tests/fixtures/realistic.yaml");
#[doc(hidden)]
static __CONV_API_DEFINITIONS: ::conv_api::__private::Definitions = ::conv_api::__private::Definitions {
    apis: ::conv_api::__private::Cow::Borrowed(
        &[
            ::conv_api::__private::Api {
                name: ::conv_api::__private::Spanned::new(
                    ::conv_api::__private::Cow::Borrowed("zendesk"),
                    ::conv_api::__private::Span::new(3usize, 11usize),
                ),
                description: ::core::option::Option::Some(
                    ::conv_api::__private::Cow::Borrowed("Support tickets"),
                ),
                environments: ::conv_api::__private::Cow::Borrowed(
                    &[
                        ::conv_api::__private::EnvironmentConfig {
                            environment: ::conv_api::__private::Environment::Sandbox,
                            span: ::conv_api::__private::Span::new(6usize, 7usize),
                            base_url: ::conv_api::__private::Spanned::new(
                                ::conv_api::__private::Cow::Borrowed(
                                    "https://sandbox.zendesk.example/api/v2",
                                ),
                                ::conv_api::__private::Span::new(7usize, 19usize),
                            ),
                            auth: ::conv_api::__private::Auth::Basic(::conv_api::__private::BasicAuth {
                                username: ::conv_api::__private::Setting::Literal(
                                    ::conv_api::__private::Cow::Borrowed("agent@acme.example"),
                                ),
                                password: ::conv_api::__private::Setting::Secret(::conv_api::__private::SecretRef {
                                    name: ::conv_api::__private::Cow::Borrowed(
                                        "ZENDESK_SANDBOX_PASSWORD",
                                    ),
                                    source: ::conv_api::__private::SecretSource::Explicit,
                                    required: true,
                                }),
                            }),
                            tls: ::conv_api::__private::Tls {
                                ca: ::core::option::Option::None,
                                client_cert: ::core::option::Option::None,
                                client_key: ::core::option::Option::None,
                            },
                        },
                        ::conv_api::__private::EnvironmentConfig {
                            environment: ::conv_api::__private::Environment::PreRelease,
                            span: ::conv_api::__private::Span::new(12usize, 7usize),
                            base_url: ::conv_api::__private::Spanned::new(
                                ::conv_api::__private::Cow::Borrowed(
                                    "https://staging.zendesk.example/api/v2",
                                ),
                                ::conv_api::__private::Span::new(13usize, 19usize),
                            ),
                            auth: ::conv_api::__private::Auth::ApiKey(::conv_api::__private::ApiKeyAuth {
                                location: ::conv_api::__private::KeyLocation::Header,
                                name: ::conv_api::__private::Cow::Borrowed("X-Api-Key"),
                                prefix: ::core::option::Option::None,
                                value: ::conv_api::__private::Setting::Secret(::conv_api::__private::SecretRef {
                                    name: ::conv_api::__private::Cow::Borrowed(
                                        "ZENDESK_STAGING_KEY",
                                    ),
                                    source: ::conv_api::__private::SecretSource::Explicit,
                                    required: true,
                                }),
                            }),
                            tls: ::conv_api::__private::Tls {
                                ca: ::core::option::Option::None,
                                client_cert: ::core::option::Option::None,
                                client_key: ::core::option::Option::None,
                            },
                        },
                        ::conv_api::__private::EnvironmentConfig {
                            environment: ::conv_api::__private::Environment::Live,
                            span: ::conv_api::__private::Span::new(16usize, 7usize),
                            base_url: ::conv_api::__private::Spanned::new(
                                ::conv_api::__private::Cow::Borrowed(
                                    "https://acme.zendesk.example/api/v2",
                                ),
                                ::conv_api::__private::Span::new(17usize, 19usize),
                            ),
                            auth: ::conv_api::__private::Auth::OAuth2(::conv_api::__private::OAuth2Auth {
                                token_url: ::conv_api::__private::Setting::Literal(
                                    ::conv_api::__private::Cow::Borrowed(
                                        "https://acme.zendesk.example/oauth/tokens",
                                    ),
                                ),
                                client_id: ::conv_api::__private::Setting::Literal(
                                    ::conv_api::__private::Cow::Borrowed("voice-agent"),
                                ),
                                client_secret: ::conv_api::__private::Setting::Secret(::conv_api::__private::SecretRef {
                                    name: ::conv_api::__private::Cow::Borrowed(
                                        "ZENDESK_CLIENT_SECRET",
                                    ),
                                    source: ::conv_api::__private::SecretSource::Explicit,
                                    required: true,
                                }),
                                scope: ::core::option::Option::Some(
                                    ::conv_api::__private::Setting::Literal(
                                        ::conv_api::__private::Cow::Borrowed(
                                            "tickets:read tickets:write",
                                        ),
                                    ),
                                ),
                                credentials: ::conv_api::__private::CredentialsLocation::Body,
                                header_name: ::conv_api::__private::Cow::Borrowed(
                                    "Authorization",
                                ),
                                token_prefix: ::conv_api::__private::Cow::Borrowed("Bearer"),
                            }),
                            tls: ::conv_api::__private::Tls {
                                ca: ::core::option::Option::None,
                                client_cert: ::core::option::Option::None,
                                client_key: ::core::option::Option::None,
                            },
                        },
                    ],
                ),
                operations: ::conv_api::__private::Cow::Borrowed(
                    &[
                        ::conv_api::__private::Operation {
                            name: ::conv_api::__private::Spanned::new(
                                ::conv_api::__private::Cow::Borrowed("get_ticket"),
                                ::conv_api::__private::Span::new(26usize, 15usize),
                            ),
                            method: ::conv_api::__private::Method::Get,
                            resource: ::conv_api::__private::Template {
                                source: ::conv_api::__private::Spanned::new(
                                    ::conv_api::__private::Cow::Borrowed(
                                        "/tickets/{ticket_id}",
                                    ),
                                    ::conv_api::__private::Span::new(28usize, 19usize),
                                ),
                                path: ::conv_api::__private::Cow::Borrowed(
                                    &[
                                        ::conv_api::__private::Piece::Literal(
                                            ::conv_api::__private::Cow::Borrowed("/tickets/"),
                                        ),
                                        ::conv_api::__private::Piece::Variable(0usize),
                                    ],
                                ),
                                query: ::conv_api::__private::Cow::Borrowed(&[]),
                                variables: ::conv_api::__private::Cow::Borrowed(
                                    &[::conv_api::__private::Cow::Borrowed("ticket_id")],
                                ),
                            },
                            description: ::core::option::Option::Some(
                                ::conv_api::__private::Cow::Borrowed("Look up a ticket"),
                            ),
                            idempotent: false,
                            timeout: ::core::option::Option::None,
                            retry: ::conv_api::__private::RetrySettings {
                                attempts: ::core::option::Option::None,
                                base_delay: ::core::option::Option::None,
                                max_delay: ::core::option::Option::None,
                            },
                        },
                        ::conv_api::__private::Operation {
                            name: ::conv_api::__private::Spanned::new(
                                ::conv_api::__private::Cow::Borrowed("search_tickets"),
                                ::conv_api::__private::Span::new(30usize, 15usize),
                            ),
                            method: ::conv_api::__private::Method::Get,
                            resource: ::conv_api::__private::Template {
                                source: ::conv_api::__private::Spanned::new(
                                    ::conv_api::__private::Cow::Borrowed(
                                        "/search?query={term}&per_page=25",
                                    ),
                                    ::conv_api::__private::Span::new(32usize, 19usize),
                                ),
                                path: ::conv_api::__private::Cow::Borrowed(
                                    &[
                                        ::conv_api::__private::Piece::Literal(
                                            ::conv_api::__private::Cow::Borrowed("/search"),
                                        ),
                                    ],
                                ),
                                query: ::conv_api::__private::Cow::Borrowed(
                                    &[
                                        ::conv_api::__private::QueryParam {
                                            name: ::conv_api::__private::Cow::Borrowed("query"),
                                            value: ::conv_api::__private::Cow::Borrowed(
                                                &[::conv_api::__private::Piece::Variable(0usize)],
                                            ),
                                        },
                                        ::conv_api::__private::QueryParam {
                                            name: ::conv_api::__private::Cow::Borrowed("per_page"),
                                            value: ::conv_api::__private::Cow::Borrowed(
                                                &[
                                                    ::conv_api::__private::Piece::Literal(
                                                        ::conv_api::__private::Cow::Borrowed("25"),
                                                    ),
                                                ],
                                            ),
                                        },
                                    ],
                                ),
                                variables: ::conv_api::__private::Cow::Borrowed(
                                    &[::conv_api::__private::Cow::Borrowed("term")],
                                ),
                            },
                            description: ::core::option::Option::None,
                            idempotent: false,
                            timeout: ::core::option::Option::None,
                            retry: ::conv_api::__private::RetrySettings {
                                attempts: ::core::option::Option::None,
                                base_delay: ::core::option::Option::None,
                                max_delay: ::core::option::Option::None,
                            },
                        },
                        ::conv_api::__private::Operation {
                            name: ::conv_api::__private::Spanned::new(
                                ::conv_api::__private::Cow::Borrowed("create_ticket"),
                                ::conv_api::__private::Span::new(33usize, 15usize),
                            ),
                            method: ::conv_api::__private::Method::Post,
                            resource: ::conv_api::__private::Template {
                                source: ::conv_api::__private::Spanned::new(
                                    ::conv_api::__private::Cow::Borrowed("/tickets"),
                                    ::conv_api::__private::Span::new(35usize, 19usize),
                                ),
                                path: ::conv_api::__private::Cow::Borrowed(
                                    &[
                                        ::conv_api::__private::Piece::Literal(
                                            ::conv_api::__private::Cow::Borrowed("/tickets"),
                                        ),
                                    ],
                                ),
                                query: ::conv_api::__private::Cow::Borrowed(&[]),
                                variables: ::conv_api::__private::Cow::Borrowed(&[]),
                            },
                            description: ::core::option::Option::None,
                            idempotent: true,
                            timeout: ::core::option::Option::Some(
                                ::conv_api::__private::Duration::from_micros(15000000u64),
                            ),
                            retry: ::conv_api::__private::RetrySettings {
                                attempts: ::core::option::Option::Some(2u32),
                                base_delay: ::core::option::Option::None,
                                max_delay: ::core::option::Option::None,
                            },
                        },
                        ::conv_api::__private::Operation {
                            name: ::conv_api::__private::Spanned::new(
                                ::conv_api::__private::Cow::Borrowed("getComment"),
                                ::conv_api::__private::Span::new(39usize, 15usize),
                            ),
                            method: ::conv_api::__private::Method::Get,
                            resource: ::conv_api::__private::Template {
                                source: ::conv_api::__private::Spanned::new(
                                    ::conv_api::__private::Cow::Borrowed(
                                        "/tickets/{ticket_id}/comments/{commentId}",
                                    ),
                                    ::conv_api::__private::Span::new(41usize, 19usize),
                                ),
                                path: ::conv_api::__private::Cow::Borrowed(
                                    &[
                                        ::conv_api::__private::Piece::Literal(
                                            ::conv_api::__private::Cow::Borrowed("/tickets/"),
                                        ),
                                        ::conv_api::__private::Piece::Variable(0usize),
                                        ::conv_api::__private::Piece::Literal(
                                            ::conv_api::__private::Cow::Borrowed("/comments/"),
                                        ),
                                        ::conv_api::__private::Piece::Variable(1usize),
                                    ],
                                ),
                                query: ::conv_api::__private::Cow::Borrowed(&[]),
                                variables: ::conv_api::__private::Cow::Borrowed(
                                    &[
                                        ::conv_api::__private::Cow::Borrowed("ticket_id"),
                                        ::conv_api::__private::Cow::Borrowed("commentId"),
                                    ],
                                ),
                            },
                            description: ::core::option::Option::None,
                            idempotent: false,
                            timeout: ::core::option::Option::None,
                            retry: ::conv_api::__private::RetrySettings {
                                attempts: ::core::option::Option::None,
                                base_delay: ::core::option::Option::None,
                                max_delay: ::core::option::Option::None,
                            },
                        },
                        ::conv_api::__private::Operation {
                            name: ::conv_api::__private::Spanned::new(
                                ::conv_api::__private::Cow::Borrowed("type"),
                                ::conv_api::__private::Span::new(42usize, 15usize),
                            ),
                            method: ::conv_api::__private::Method::Delete,
                            resource: ::conv_api::__private::Template {
                                source: ::conv_api::__private::Spanned::new(
                                    ::conv_api::__private::Cow::Borrowed("/types/{match}"),
                                    ::conv_api::__private::Span::new(44usize, 19usize),
                                ),
                                path: ::conv_api::__private::Cow::Borrowed(
                                    &[
                                        ::conv_api::__private::Piece::Literal(
                                            ::conv_api::__private::Cow::Borrowed("/types/"),
                                        ),
                                        ::conv_api::__private::Piece::Variable(0usize),
                                    ],
                                ),
                                query: ::conv_api::__private::Cow::Borrowed(&[]),
                                variables: ::conv_api::__private::Cow::Borrowed(
                                    &[::conv_api::__private::Cow::Borrowed("match")],
                                ),
                            },
                            description: ::core::option::Option::None,
                            idempotent: false,
                            timeout: ::core::option::Option::None,
                            retry: ::conv_api::__private::RetrySettings {
                                attempts: ::core::option::Option::None,
                                base_delay: ::core::option::Option::None,
                                max_delay: ::core::option::Option::None,
                            },
                        },
                    ],
                ),
                timeout: ::core::option::Option::None,
                retry: ::conv_api::__private::RetrySettings {
                    attempts: ::core::option::Option::None,
                    base_delay: ::core::option::Option::None,
                    max_delay: ::core::option::Option::None,
                },
            },
            ::conv_api::__private::Api {
                name: ::conv_api::__private::Spanned::new(
                    ::conv_api::__private::Cow::Borrowed("bookings"),
                    ::conv_api::__private::Span::new(45usize, 11usize),
                ),
                description: ::core::option::Option::None,
                environments: ::conv_api::__private::Cow::Borrowed(
                    &[
                        ::conv_api::__private::EnvironmentConfig {
                            environment: ::conv_api::__private::Environment::Sandbox,
                            span: ::conv_api::__private::Span::new(49usize, 7usize),
                            base_url: ::conv_api::__private::Spanned::new(
                                ::conv_api::__private::Cow::Borrowed(
                                    "http://localhost:8080/v2",
                                ),
                                ::conv_api::__private::Span::new(49usize, 28usize),
                            ),
                            auth: ::conv_api::__private::Auth::None,
                            tls: ::conv_api::__private::Tls {
                                ca: ::core::option::Option::None,
                                client_cert: ::core::option::Option::None,
                                client_key: ::core::option::Option::None,
                            },
                        },
                        ::conv_api::__private::EnvironmentConfig {
                            environment: ::conv_api::__private::Environment::Live,
                            span: ::conv_api::__private::Span::new(50usize, 7usize),
                            base_url: ::conv_api::__private::Spanned::new(
                                ::conv_api::__private::Cow::Borrowed(
                                    "https://bookings.example/v2",
                                ),
                                ::conv_api::__private::Span::new(51usize, 19usize),
                            ),
                            auth: ::conv_api::__private::Auth::OAuth2(::conv_api::__private::OAuth2Auth {
                                token_url: ::conv_api::__private::Setting::Secret(::conv_api::__private::SecretRef {
                                    name: ::conv_api::__private::Cow::Borrowed(
                                        "BOOKINGS_LIVE_TOKEN_URL",
                                    ),
                                    source: ::conv_api::__private::SecretSource::Conventional,
                                    required: true,
                                }),
                                client_id: ::conv_api::__private::Setting::Secret(::conv_api::__private::SecretRef {
                                    name: ::conv_api::__private::Cow::Borrowed(
                                        "BOOKINGS_LIVE_CLIENT_ID",
                                    ),
                                    source: ::conv_api::__private::SecretSource::Conventional,
                                    required: true,
                                }),
                                client_secret: ::conv_api::__private::Setting::Secret(::conv_api::__private::SecretRef {
                                    name: ::conv_api::__private::Cow::Borrowed(
                                        "BOOKINGS_LIVE_CLIENT_SECRET",
                                    ),
                                    source: ::conv_api::__private::SecretSource::Conventional,
                                    required: true,
                                }),
                                scope: ::core::option::Option::Some(
                                    ::conv_api::__private::Setting::Secret(::conv_api::__private::SecretRef {
                                        name: ::conv_api::__private::Cow::Borrowed(
                                            "BOOKINGS_LIVE_SCOPE",
                                        ),
                                        source: ::conv_api::__private::SecretSource::Conventional,
                                        required: false,
                                    }),
                                ),
                                credentials: ::conv_api::__private::CredentialsLocation::Header,
                                header_name: ::conv_api::__private::Cow::Borrowed(
                                    "Authorization",
                                ),
                                token_prefix: ::conv_api::__private::Cow::Borrowed("Bearer"),
                            }),
                            tls: ::conv_api::__private::Tls {
                                ca: ::core::option::Option::Some(::conv_api::__private::SecretRef {
                                    name: ::conv_api::__private::Cow::Borrowed(
                                        "BOOKINGS_CA_PEM",
                                    ),
                                    source: ::conv_api::__private::SecretSource::Explicit,
                                    required: true,
                                }),
                                client_cert: ::core::option::Option::Some(::conv_api::__private::SecretRef {
                                    name: ::conv_api::__private::Cow::Borrowed(
                                        "BOOKINGS_CERT_PEM",
                                    ),
                                    source: ::conv_api::__private::SecretSource::Explicit,
                                    required: true,
                                }),
                                client_key: ::core::option::Option::Some(::conv_api::__private::SecretRef {
                                    name: ::conv_api::__private::Cow::Borrowed(
                                        "BOOKINGS_KEY_PEM",
                                    ),
                                    source: ::conv_api::__private::SecretSource::Explicit,
                                    required: true,
                                }),
                            },
                        },
                    ],
                ),
                operations: ::conv_api::__private::Cow::Borrowed(
                    &[
                        ::conv_api::__private::Operation {
                            name: ::conv_api::__private::Spanned::new(
                                ::conv_api::__private::Cow::Borrowed("list_slots"),
                                ::conv_api::__private::Span::new(58usize, 15usize),
                            ),
                            method: ::conv_api::__private::Method::Get,
                            resource: ::conv_api::__private::Template {
                                source: ::conv_api::__private::Spanned::new(
                                    ::conv_api::__private::Cow::Borrowed(
                                        "/venues/{venue_id}/slots?date={date}",
                                    ),
                                    ::conv_api::__private::Span::new(60usize, 19usize),
                                ),
                                path: ::conv_api::__private::Cow::Borrowed(
                                    &[
                                        ::conv_api::__private::Piece::Literal(
                                            ::conv_api::__private::Cow::Borrowed("/venues/"),
                                        ),
                                        ::conv_api::__private::Piece::Variable(0usize),
                                        ::conv_api::__private::Piece::Literal(
                                            ::conv_api::__private::Cow::Borrowed("/slots"),
                                        ),
                                    ],
                                ),
                                query: ::conv_api::__private::Cow::Borrowed(
                                    &[
                                        ::conv_api::__private::QueryParam {
                                            name: ::conv_api::__private::Cow::Borrowed("date"),
                                            value: ::conv_api::__private::Cow::Borrowed(
                                                &[::conv_api::__private::Piece::Variable(1usize)],
                                            ),
                                        },
                                    ],
                                ),
                                variables: ::conv_api::__private::Cow::Borrowed(
                                    &[
                                        ::conv_api::__private::Cow::Borrowed("venue_id"),
                                        ::conv_api::__private::Cow::Borrowed("date"),
                                    ],
                                ),
                            },
                            description: ::core::option::Option::None,
                            idempotent: false,
                            timeout: ::core::option::Option::None,
                            retry: ::conv_api::__private::RetrySettings {
                                attempts: ::core::option::Option::None,
                                base_delay: ::core::option::Option::None,
                                max_delay: ::core::option::Option::None,
                            },
                        },
                    ],
                ),
                timeout: ::core::option::Option::Some(
                    ::conv_api::__private::Duration::from_micros(8000000u64),
                ),
                retry: ::conv_api::__private::RetrySettings {
                    attempts: ::core::option::Option::Some(3u32),
                    base_delay: ::core::option::Option::Some(
                        ::conv_api::__private::Duration::from_micros(200000u64),
                    ),
                    max_delay: ::core::option::Option::Some(
                        ::conv_api::__private::Duration::from_micros(5000000u64),
                    ),
                },
            },
        ],
    ),
};
/**The APIs of the definitions file, one field per API: `conv.api.<api>.<operation>(..)`.

- `zendesk`: 5 operations — Support tickets
- `bookings`: 1 operations*/
#[derive(Clone, Debug)]
pub struct Api {
    /**Support tickets

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
    pub zendesk: self::zendesk::Client,
    /**The `bookings` API.

Environments wired: sandbox (`http://localhost:8080/v2`, auth `none`), live (`https://bookings.example/v2`, auth `oauth2`).*/
    pub bookings: self::bookings::Client,
}
impl ::conv_api::__private::ApiSet for Api {
    fn definitions() -> &'static ::conv_api::__private::Definitions {
        &__CONV_API_DEFINITIONS
    }
    fn bind(bindings: &::conv_api::__private::Bindings) -> Self {
        Api {
            zendesk: self::zendesk::Client {
                api: bindings.api(0usize),
                named: self::zendesk::Named {
                    api: bindings.api(0usize),
                },
            },
            bookings: self::bookings::Client {
                api: bindings.api(1usize),
                named: self::bookings::Named {
                    api: bindings.api(1usize),
                },
            },
        }
    }
}
///The operations of the `zendesk` API.
pub mod zendesk {
    /**Support tickets

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
    #[derive(Clone, Debug)]
    pub struct Client {
        pub(super) api: ::conv_api::__private::ApiHandle,
        ///The `zendesk` operations with every path variable named at the call site, from [`args`] structs.
        pub named: Named,
    }
    impl Client {
        /**Look up a ticket

`GET /tickets/{ticket_id}` — path variables: `ticket_id`

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
        pub fn get_ticket(
            &self,
            ticket_id: impl ::core::fmt::Display,
        ) -> ::conv_api::__private::Request {
            self.api.request(0usize, &[&ticket_id as &dyn ::core::fmt::Display])
        }
        /**`GET /search?query={term}&per_page=25` — path variables: `term`

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
        pub fn search_tickets(
            &self,
            term: impl ::core::fmt::Display,
        ) -> ::conv_api::__private::Request {
            self.api.request(1usize, &[&term as &dyn ::core::fmt::Display])
        }
        /**`POST /tickets`

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
        pub fn create_ticket(&self) -> ::conv_api::__private::Request {
            self.api.request(2usize, &[])
        }
        /**`GET /tickets/{ticket_id}/comments/{commentId}` — path variables: `ticket_id`, `commentId`

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
        #[allow(
            non_snake_case,
            reason = "names are used as written in the definitions file"
        )]
        pub fn getComment(
            &self,
            ticket_id: impl ::core::fmt::Display,
            commentId: impl ::core::fmt::Display,
        ) -> ::conv_api::__private::Request {
            self.api
                .request(
                    3usize,
                    &[
                        &ticket_id as &dyn ::core::fmt::Display,
                        &commentId as &dyn ::core::fmt::Display,
                    ],
                )
        }
        /**`DELETE /types/{match}` — path variables: `match`

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
        pub fn r#type(
            &self,
            r#match: impl ::core::fmt::Display,
        ) -> ::conv_api::__private::Request {
            self.api.request(4usize, &[&r#match as &dyn ::core::fmt::Display])
        }
    }
    ///The `zendesk` operations with every path variable named at the call site, from [`args`] structs.
    #[derive(Clone, Debug)]
    pub struct Named {
        pub(super) api: ::conv_api::__private::ApiHandle,
    }
    impl Named {
        /**Look up a ticket

`GET /tickets/{ticket_id}` — path variables: `ticket_id`

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
        pub fn get_ticket<T0: ::core::fmt::Display>(
            &self,
            args: self::args::GetTicket<T0>,
        ) -> ::conv_api::__private::Request {
            self.api.request(0usize, &[&args.ticket_id as &dyn ::core::fmt::Display])
        }
        /**`GET /search?query={term}&per_page=25` — path variables: `term`

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
        pub fn search_tickets<T0: ::core::fmt::Display>(
            &self,
            args: self::args::SearchTickets<T0>,
        ) -> ::conv_api::__private::Request {
            self.api.request(1usize, &[&args.term as &dyn ::core::fmt::Display])
        }
        /**`POST /tickets`

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
        pub fn create_ticket(&self) -> ::conv_api::__private::Request {
            self.api.request(2usize, &[])
        }
        /**`GET /tickets/{ticket_id}/comments/{commentId}` — path variables: `ticket_id`, `commentId`

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
        #[allow(
            non_snake_case,
            reason = "names are used as written in the definitions file"
        )]
        pub fn getComment<T0: ::core::fmt::Display, T1: ::core::fmt::Display>(
            &self,
            args: self::args::GetComment<T0, T1>,
        ) -> ::conv_api::__private::Request {
            self.api
                .request(
                    3usize,
                    &[
                        &args.ticket_id as &dyn ::core::fmt::Display,
                        &args.commentId as &dyn ::core::fmt::Display,
                    ],
                )
        }
        /**`DELETE /types/{match}` — path variables: `match`

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
        pub fn r#type<T0: ::core::fmt::Display>(
            &self,
            args: self::args::Type<T0>,
        ) -> ::conv_api::__private::Request {
            self.api.request(4usize, &[&args.r#match as &dyn ::core::fmt::Display])
        }
    }
    /// Arguments of the operations, each path variable a named field.
    pub mod args {
        ///The path variables of `zendesk.get_ticket` (`GET /tickets/{ticket_id}`), each by name.
        #[derive(Clone, Debug)]
        pub struct GetTicket<T0> {
            ///`{ticket_id}` in `/tickets/{ticket_id}`.
            pub ticket_id: T0,
        }
        ///The path variables of `zendesk.search_tickets` (`GET /search?query={term}&per_page=25`), each by name.
        #[derive(Clone, Debug)]
        pub struct SearchTickets<T0> {
            ///`{term}` in `/search?query={term}&per_page=25`.
            pub term: T0,
        }
        ///The path variables of `zendesk.getComment` (`GET /tickets/{ticket_id}/comments/{commentId}`), each by name.
        #[derive(Clone, Debug)]
        #[allow(
            non_snake_case,
            reason = "names are used as written in the definitions file"
        )]
        pub struct GetComment<T0, T1> {
            ///`{ticket_id}` in `/tickets/{ticket_id}/comments/{commentId}`.
            pub ticket_id: T0,
            ///`{commentId}` in `/tickets/{ticket_id}/comments/{commentId}`.
            pub commentId: T1,
        }
        ///The path variables of `zendesk.type` (`DELETE /types/{match}`), each by name.
        #[derive(Clone, Debug)]
        pub struct Type<T0> {
            ///`{match}` in `/types/{match}`.
            pub r#match: T0,
        }
    }
}
///The operations of the `bookings` API.
pub mod bookings {
    /**The `bookings` API.

Environments wired: sandbox (`http://localhost:8080/v2`, auth `none`), live (`https://bookings.example/v2`, auth `oauth2`).*/
    #[derive(Clone, Debug)]
    pub struct Client {
        pub(super) api: ::conv_api::__private::ApiHandle,
        ///The `bookings` operations with every path variable named at the call site, from [`args`] structs.
        pub named: Named,
    }
    impl Client {
        /**`GET /venues/{venue_id}/slots?date={date}` — path variables: `venue_id`, `date`

Environments wired: sandbox (`http://localhost:8080/v2`, auth `none`), live (`https://bookings.example/v2`, auth `oauth2`).*/
        pub fn list_slots(
            &self,
            venue_id: impl ::core::fmt::Display,
            date: impl ::core::fmt::Display,
        ) -> ::conv_api::__private::Request {
            self.api
                .request(
                    0usize,
                    &[
                        &venue_id as &dyn ::core::fmt::Display,
                        &date as &dyn ::core::fmt::Display,
                    ],
                )
        }
    }
    ///The `bookings` operations with every path variable named at the call site, from [`args`] structs.
    #[derive(Clone, Debug)]
    pub struct Named {
        pub(super) api: ::conv_api::__private::ApiHandle,
    }
    impl Named {
        /**`GET /venues/{venue_id}/slots?date={date}` — path variables: `venue_id`, `date`

Environments wired: sandbox (`http://localhost:8080/v2`, auth `none`), live (`https://bookings.example/v2`, auth `oauth2`).*/
        pub fn list_slots<T0: ::core::fmt::Display, T1: ::core::fmt::Display>(
            &self,
            args: self::args::ListSlots<T0, T1>,
        ) -> ::conv_api::__private::Request {
            self.api
                .request(
                    0usize,
                    &[
                        &args.venue_id as &dyn ::core::fmt::Display,
                        &args.date as &dyn ::core::fmt::Display,
                    ],
                )
        }
    }
    /// Arguments of the operations, each path variable a named field.
    pub mod args {
        ///The path variables of `bookings.list_slots` (`GET /venues/{venue_id}/slots?date={date}`), each by name.
        #[derive(Clone, Debug)]
        pub struct ListSlots<T0, T1> {
            ///`{venue_id}` in `/venues/{venue_id}/slots?date={date}`.
            pub venue_id: T0,
            ///`{date}` in `/venues/{venue_id}/slots?date={date}`.
            pub date: T1,
        }
    }
}
