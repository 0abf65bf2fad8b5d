//! Valid names that once broke the generated code: operations whose `args` structs
//! would share a name (`get_user_3` and `getUser` both reach `GetUser3`), and path
//! variables named `None`, `Some`, `Ok` or `Err`, which no parameter can be; and
//! operations named like `Into::into`, called by their client's type as their
//! definitions warning says.
#![deny(warnings)]

mod integrations {
    conv_api::conv_api!("tests/ui/pass/odd-names.yaml");
}

use conv_api::Conv;
use integrations::{users, Api};

#[allow(dead_code, reason = "only type-checked")]
async fn calls(conv: &Conv<Api>) -> conv_api::Result<()> {
    let _user = conv.api.users.getUser(1).await?;
    let _op = conv.api.users.__(2).await?;
    let _options = conv.api.users.options("a", "b", "c").await?;
    let _results = conv.api.users.results(1, 2).await?;
    let options = users::args::Options { None: "a", Some: "b", None_: "c" };
    let _named = conv.api.users.named.options(options).await?;
    let _named = conv.api.users.named.results(users::args::Results { Ok: 1, Err: 2 }).await?;
    let _first = conv.api.users.named.get_user(users::args::GetUser { id: 1 }).await?;
    let _third = conv.api.users.named.get_user_3(users::args::GetUser3 { id: 3 }).await?;
    let _fourth = conv.api.users.named.getUser(users::args::GetUser4 { id: 4 }).await?;
    let _blank = conv.api.users.named.__(users::args::Operation5 { id: 5 }).await?;
    let _into = users::Client::into(&conv.api.users, 6).await?;
    let _into = users::Named::into(&conv.api.users.named, users::args::Into { id: 7 }).await?;
    let _tried = users::Client::try_into(&conv.api.users).await?;
    Ok(())
}

fn main() {}
