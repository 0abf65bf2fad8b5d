const _: () = {
    fn _track() {
        let _ = ::core::include_bytes!("../../../tests/fixtures/realistic.yaml");
    }
};
/**The APIs of the definitions file, one field per API: `conv.api.<api>.<operation>(..)`.

- `zendesk`: 5 operations — Support tickets
- `bookings`: 1 operation*/
pub struct Api {
    /**Support tickets

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
    pub zendesk: zendesk::Client,
    /**The `bookings` API.

Environments wired: sandbox (`http://localhost:8080/v2`, auth `none`), live (`https://bookings.example/v2`, auth `oauth2`).*/
    pub bookings: bookings::Client,
}
impl ::core::clone::Clone for Api {
    fn clone(&self) -> Self {
        <Self as ::conv_api::__private::ApiSet>::bind(&self.zendesk.named.api.bindings())
    }
}
impl ::core::fmt::Debug for Api {
    fn fmt(
        &self,
        conv_api_formatter: &mut ::core::fmt::Formatter<'_>,
    ) -> ::core::fmt::Result {
        ::conv_api::__private::fmt_api_set(
            <Self as ::conv_api::__private::ApiSet>::definitions(),
            conv_api_formatter,
        )
    }
}
impl ::conv_api::__private::ApiSet for Api {
    fn definitions() -> &'static ::conv_api::__private::Definitions {
        static DEFINITIONS: ::conv_api::__private::EmbeddedDefinitions = ::conv_api::__private::EmbeddedDefinitions::new(
            "realistic.yaml",
            "{\"api_integrations\":[{\"name\":\"zendesk\",\"description\":\"Support tickets\",\"environments\":{\"sandbox\":{\"base_url\":\"https://sandbox.zendesk.example/api/v2\",\"auth_type\":\"basic\",\"auth\":{\"username\":\"agent@acme.example\",\"password\":{\"secret\":\"ZENDESK_SANDBOX_PASSWORD\"}}},\"pre-release\":{\"base_url\":\"https://staging.zendesk.example/api/v2\",\"auth_type\":\"apiKey\",\"auth\":{\"location\":\"header\",\"name\":\"X-Api-Key\",\"value\":{\"secret\":\"ZENDESK_STAGING_KEY\"}}},\"live\":{\"base_url\":\"https://acme.zendesk.example/api/v2\",\"auth_type\":\"oauth2\",\"auth\":{\"token_url\":\"https://acme.zendesk.example/oauth/tokens\",\"client_id\":\"voice-agent\",\"client_secret\":{\"secret\":\"ZENDESK_CLIENT_SECRET\"},\"scope\":\"tickets:read tickets:write\",\"credentials\":\"body\",\"header_name\":\"Authorization\",\"token_prefix\":\"Bearer\"}}},\"operations\":[{\"name\":\"get_ticket\",\"method\":\"GET\",\"resource\":\"/tickets/{ticket_id}\",\"description\":\"Look up a ticket\"},{\"name\":\"search_tickets\",\"method\":\"GET\",\"resource\":\"/search?query={term}&per_page=25\"},{\"name\":\"create_ticket\",\"method\":\"POST\",\"resource\":\"/tickets\",\"idempotent\":true,\"timeout\":\"15s\",\"retry\":{\"attempts\":2}},{\"name\":\"getComment\",\"method\":\"GET\",\"resource\":\"/tickets/{ticket_id}/comments/{commentId}\"},{\"name\":\"type\",\"method\":\"DELETE\",\"resource\":\"/types/{match}\"}]},{\"name\":\"bookings\",\"environments\":{\"sandbox\":{\"base_url\":\"http://localhost:8080/v2\",\"auth_type\":\"none\"},\"live\":{\"base_url\":\"https://bookings.example/v2\",\"auth_type\":\"oauth2\",\"auth\":{\"credentials\":\"header\",\"header_name\":\"Authorization\",\"token_prefix\":\"Bearer\"},\"tls\":{\"ca\":{\"secret\":\"BOOKINGS_CA_PEM\"},\"client_cert\":{\"secret\":\"BOOKINGS_CERT_PEM\"},\"client_key\":{\"secret\":\"BOOKINGS_KEY_PEM\"}}}},\"operations\":[{\"name\":\"list_slots\",\"method\":\"GET\",\"resource\":\"/venues/{venue_id}/slots?date={date}\"}],\"timeout\":\"8s\",\"retry\":{\"attempts\":3,\"base_delay\":\"200ms\",\"max_delay\":\"5s\"}}]}",
        );
        DEFINITIONS.get()
    }
    fn bind(conv_api_bindings: &::conv_api::__private::Bindings) -> Self {
        Api {
            zendesk: zendesk::Client {
                named: zendesk::Named {
                    api: conv_api_bindings.api(0usize),
                },
            },
            bookings: bookings::Client {
                named: bookings::Named {
                    api: conv_api_bindings.api(1usize),
                },
            },
        }
    }
}
///The operations of the `zendesk` API.
pub mod zendesk {
    use ::conv_api::__private::Request;
    use ::conv_api::PathValue;
    /**Support tickets

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
    pub struct Client {
        ///The `zendesk` operations with every path variable named at the call site, from [`args`] structs.
        pub named: Named,
    }
    impl Client {
        /**Look up a ticket

`GET /tickets/{ticket_id}` — path variables: `ticket_id`

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
        #[inline(always)]
        pub fn get_ticket(&self, ticket_id: impl PathValue) -> Request {
            self.named.api.request1(0usize, ticket_id)
        }
        /**`GET /search?query={term}&per_page=25` — path variables: `term`

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
        #[inline(always)]
        pub fn search_tickets(&self, term: impl PathValue) -> Request {
            self.named.api.request1(1usize, term)
        }
        /**`POST /tickets`

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
        #[inline(always)]
        pub fn create_ticket(&self) -> Request {
            self.named.api.request0(2usize)
        }
        /**`GET /tickets/{ticket_id}/comments/{commentId}` — path variables: `ticket_id`, `commentId`

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
        #[inline(always)]
        pub fn getComment(
            &self,
            ticket_id: impl PathValue,
            commentId: impl PathValue,
        ) -> Request {
            self.named.api.request2(3usize, ticket_id, commentId)
        }
        /**`DELETE /types/{match}` — path variables: `match`

Call it as `conv.api.zendesk.r#type(..)` (or `conv.api.zendesk.named.r#type(..)`): `type` is a Rust keyword.

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
        #[inline(always)]
        pub fn r#type(&self, r#match: impl PathValue) -> Request {
            self.named.api.request1(4usize, r#match)
        }
    }
    ///The `zendesk` operations with every path variable named at the call site, from [`args`] structs.
    pub struct Named {
        pub(super) api: ::conv_api::__private::ApiHandle,
    }
    impl Named {
        /**Look up a ticket

`GET /tickets/{ticket_id}` — path variables: `ticket_id`

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
        #[inline(always)]
        pub fn get_ticket(
            &self,
            args: self::args::GetTicket<impl PathValue>,
        ) -> Request {
            self.api.request1(0usize, args.ticket_id)
        }
        /**`GET /search?query={term}&per_page=25` — path variables: `term`

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
        #[inline(always)]
        pub fn search_tickets(
            &self,
            args: self::args::SearchTickets<impl PathValue>,
        ) -> Request {
            self.api.request1(1usize, args.term)
        }
        /**`POST /tickets`

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
        #[inline(always)]
        pub fn create_ticket(&self) -> Request {
            self.api.request0(2usize)
        }
        /**`GET /tickets/{ticket_id}/comments/{commentId}` — path variables: `ticket_id`, `commentId`

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
        #[inline(always)]
        pub fn getComment(
            &self,
            args: self::args::GetComment<impl PathValue, impl PathValue>,
        ) -> Request {
            self.api.request2(3usize, args.ticket_id, args.commentId)
        }
        /**`DELETE /types/{match}` — path variables: `match`

Call it as `conv.api.zendesk.r#type(..)` (or `conv.api.zendesk.named.r#type(..)`): `type` is a Rust keyword.

Environments wired: sandbox (`https://sandbox.zendesk.example/api/v2`, auth `basic`), pre-release (`https://staging.zendesk.example/api/v2`, auth `apiKey`), live (`https://acme.zendesk.example/api/v2`, auth `oauth2`).*/
        #[inline(always)]
        pub fn r#type(&self, args: self::args::Type<impl PathValue>) -> Request {
            self.api.request1(4usize, args.r#match)
        }
    }
    /// Arguments of the operations, each path variable a named field.
    pub mod args {
        ///The path variables of `zendesk.get_ticket` (`GET /tickets/{ticket_id}`), each by name.
        pub struct GetTicket<T0> {
            ///The value of `{ticket_id}` in the resource.
            pub ticket_id: T0,
        }
        ///The path variables of `zendesk.search_tickets` (`GET /search?query={term}&per_page=25`), each by name.
        pub struct SearchTickets<T0> {
            ///The value of `{term}` in the resource.
            pub term: T0,
        }
        ///The path variables of `zendesk.getComment` (`GET /tickets/{ticket_id}/comments/{commentId}`), each by name.
        pub struct GetComment<T0, T1> {
            ///The value of `{ticket_id}` in the resource.
            pub ticket_id: T0,
            ///The value of `{commentId}` in the resource.
            pub commentId: T1,
        }
        ///The path variables of `zendesk.type` (`DELETE /types/{match}`), each by name.
        pub struct Type<T0> {
            ///The value of `{match}` in the resource.
            pub r#match: T0,
        }
    }
}
///The operations of the `bookings` API.
pub mod bookings {
    use ::conv_api::__private::Request;
    use ::conv_api::PathValue;
    /**The `bookings` API.

Environments wired: sandbox (`http://localhost:8080/v2`, auth `none`), live (`https://bookings.example/v2`, auth `oauth2`).*/
    pub struct Client {
        ///The `bookings` operations with every path variable named at the call site, from [`args`] structs.
        pub named: Named,
    }
    impl Client {
        /**`GET /venues/{venue_id}/slots?date={date}` — path variables: `venue_id`, `date`

Environments wired: sandbox (`http://localhost:8080/v2`, auth `none`), live (`https://bookings.example/v2`, auth `oauth2`).*/
        #[inline(always)]
        pub fn list_slots(
            &self,
            venue_id: impl PathValue,
            date: impl PathValue,
        ) -> Request {
            self.named.api.request2(0usize, venue_id, date)
        }
    }
    ///The `bookings` operations with every path variable named at the call site, from [`args`] structs.
    pub struct Named {
        pub(super) api: ::conv_api::__private::ApiHandle,
    }
    impl Named {
        /**`GET /venues/{venue_id}/slots?date={date}` — path variables: `venue_id`, `date`

Environments wired: sandbox (`http://localhost:8080/v2`, auth `none`), live (`https://bookings.example/v2`, auth `oauth2`).*/
        #[inline(always)]
        pub fn list_slots(
            &self,
            args: self::args::ListSlots<impl PathValue, impl PathValue>,
        ) -> Request {
            self.api.request2(0usize, args.venue_id, args.date)
        }
    }
    /// Arguments of the operations, each path variable a named field.
    pub mod args {
        ///The path variables of `bookings.list_slots` (`GET /venues/{venue_id}/slots?date={date}`), each by name.
        pub struct ListSlots<T0, T1> {
            ///The value of `{venue_id}` in the resource.
            pub venue_id: T0,
            ///The value of `{date}` in the resource.
            pub date: T1,
        }
    }
}
