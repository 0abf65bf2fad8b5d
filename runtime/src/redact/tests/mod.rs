//! The redactor's unit tests, a module per subject: masked headers and query
//! parameters, user info in URLs, a secret's encoded forms, where a value is
//! masked, and which values it keeps knowing.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;

use super::forms::{base64_inside, encoded_forms, MIN_BASE64_INSIDE};
use super::known::{is_one_character, MAX_SECRETS};
use super::*;

mod encodings;
mod headers;
mod known_values;
mod matching;
mod user_info;
