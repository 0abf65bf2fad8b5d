//! A request's JSON body as serde_json writes it, but for a NaN or infinite float:
//! serde_json writes `null` for one without a word, where Python's `requests`
//! refuses it (`InvalidJSONError`), so a call here refuses it too, naming its place.

use std::fmt;

use serde::ser::{self, Serialize};

/// `body` as JSON bytes; the problem to tell when it cannot be written, or holds
/// a float JSON cannot carry.
pub(crate) fn json_bytes<T: Serialize + ?Sized>(body: &T) -> Result<Vec<u8>, String> {
    let bytes = serde_json::to_vec(body)
        .map_err(|error| format!("the JSON body cannot be serialized: {error}{}", unwritable_json_hint(&error)))?;
    // a float JSON cannot carry is written `null`: only a body that holds one is walked again
    if memchr::memmem::find(&bytes, b"null").is_none() {
        return Ok(bytes);
    }
    let error = match serde_path_to_error::serialize(body, FiniteFloats) {
        Ok(()) => return Ok(bytes),
        Err(error) => error,
    };
    let NotFinite::Float(found) = error.inner() else {
        // a value that serializes once only (it failed the second time): as written
        return Ok(bytes);
    };
    let at = match error.path().to_string() {
        root if root == "." => String::new(),
        path => format!(" at `{path}`"),
    };
    Err(format!(
        "the JSON body holds {found}{at}, which JSON cannot carry (it would be sent as `null`); send a number, or `None` where no value is meant"
    ))
}

/// What to do about serde_json's `error` in writing a value, where it has a fix to
/// name: a map keyed by what no JSON object's key can be (a tuple, a struct).
pub(crate) fn unwritable_json_hint(error: &serde_json::Error) -> &'static str {
    match error.to_string().starts_with("key must be a string") {
        true => "; a JSON object's keys are text: key the map by strings, numbers or booleans (written as text), or send a list of pairs",
        false => "",
    }
}

/// A serializer that writes nothing and fails on a NaN or infinite float.
struct FiniteFloats;

/// Why [`FiniteFloats`] failed: on a float, named as a message names it (`` `NaN` ``,
/// `` `inf` ``), or with the value's own error.
#[derive(Debug)]
enum NotFinite {
    Float(String),
    Other(String),
}

impl fmt::Display for NotFinite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotFinite::Float(text) | NotFinite::Other(text) => f.write_str(text),
        }
    }
}

impl std::error::Error for NotFinite {}

impl ser::Error for NotFinite {
    fn custom<T: fmt::Display>(message: T) -> Self {
        NotFinite::Other(message.to_string())
    }
}

fn finite(value: f64) -> Result<(), NotFinite> {
    match value.is_finite() {
        true => Ok(()),
        false => Err(NotFinite::Float(format!("`{value}`"))),
    }
}

impl ser::Serializer for FiniteFloats {
    type Ok = ();
    type Error = NotFinite;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_f32(self, v: f32) -> Result<(), NotFinite> {
        finite(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), NotFinite> {
        finite(v)
    }
    fn serialize_bool(self, _: bool) -> Result<(), NotFinite> {
        Ok(())
    }
    fn serialize_i8(self, _: i8) -> Result<(), NotFinite> {
        Ok(())
    }
    fn serialize_i16(self, _: i16) -> Result<(), NotFinite> {
        Ok(())
    }
    fn serialize_i32(self, _: i32) -> Result<(), NotFinite> {
        Ok(())
    }
    fn serialize_i64(self, _: i64) -> Result<(), NotFinite> {
        Ok(())
    }
    fn serialize_i128(self, _: i128) -> Result<(), NotFinite> {
        Ok(())
    }
    fn serialize_u8(self, _: u8) -> Result<(), NotFinite> {
        Ok(())
    }
    fn serialize_u16(self, _: u16) -> Result<(), NotFinite> {
        Ok(())
    }
    fn serialize_u32(self, _: u32) -> Result<(), NotFinite> {
        Ok(())
    }
    fn serialize_u64(self, _: u64) -> Result<(), NotFinite> {
        Ok(())
    }
    fn serialize_u128(self, _: u128) -> Result<(), NotFinite> {
        Ok(())
    }
    fn serialize_char(self, _: char) -> Result<(), NotFinite> {
        Ok(())
    }
    fn serialize_str(self, _: &str) -> Result<(), NotFinite> {
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), NotFinite> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), NotFinite> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), NotFinite> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), NotFinite> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), NotFinite> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), NotFinite> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), NotFinite> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), NotFinite> {
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, NotFinite> {
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, NotFinite> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, NotFinite> {
        Ok(self)
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self, NotFinite> {
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, NotFinite> {
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, NotFinite> {
        Ok(self)
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self, NotFinite> {
        Ok(self)
    }
}

/// Each part of a list, tuple, map or struct, checked as the whole is.
macro_rules! check_parts {
    ($($part:ident :: $method:ident ($($name:ident: $skipped:ty),*);)*) => {$(
        impl ser::$part for FiniteFloats {
            type Ok = ();
            type Error = NotFinite;
            fn $method<T: Serialize + ?Sized>(&mut self, $($name: $skipped,)* value: &T) -> Result<(), NotFinite> {
                $(let _ = $name;)*
                value.serialize(FiniteFloats)
            }
            fn end(self) -> Result<(), NotFinite> {
                Ok(())
            }
        }
    )*};
}

check_parts! {
    SerializeSeq::serialize_element();
    SerializeTuple::serialize_element();
    SerializeTupleStruct::serialize_field();
    SerializeTupleVariant::serialize_field();
    SerializeStruct::serialize_field(key: &'static str);
    SerializeStructVariant::serialize_field(key: &'static str);
}

impl ser::SerializeMap for FiniteFloats {
    type Ok = ();
    type Error = NotFinite;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), NotFinite> {
        key.serialize(FiniteFloats)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NotFinite> {
        value.serialize(FiniteFloats)
    }
    fn end(self) -> Result<(), NotFinite> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::json_bytes;

    #[derive(serde::Serialize)]
    struct Booking {
        guests: u32,
        prices: Vec<Option<f64>>,
        note: Option<String>,
    }

    #[test]
    fn a_float_json_cannot_carry_is_named_where_it_is() {
        let booking = Booking { guests: 2, prices: vec![Some(1.5), Some(f64::NAN)], note: None };
        let told = "the JSON body holds `NaN` at `prices[1]`, which JSON cannot carry (it would be sent as `null`); send a number, or `None` where no value is meant";
        assert_eq!(json_bytes(&booking).unwrap_err(), told);
        let body = serde_json::json!({ "score": f32::NEG_INFINITY });
        assert!(json_bytes(&body).is_ok(), "a `Value` holds no NaN: `json!` made it `null` already");
        assert_eq!(json_bytes(&f32::INFINITY).unwrap_err().split(", which").next(), Some("the JSON body holds `inf`"));
        let map = std::collections::BTreeMap::from([("rating", f64::NEG_INFINITY)]);
        assert!(json_bytes(&map).unwrap_err().starts_with("the JSON body holds `-inf` at `rating`,"));
        // in a newtype too (`struct Price(f64)`), which serde_json writes as what it wraps
        #[derive(serde::Serialize)]
        struct Price(f64);
        assert!(json_bytes(&[Price(1.0), Price(f64::NAN)])
            .unwrap_err()
            .starts_with("the JSON body holds `NaN` at `[1]`,"));
        #[derive(serde::Serialize)]
        enum Fare {
            Amount(f64),
        }
        assert!(json_bytes(&Fare::Amount(f64::INFINITY)).unwrap_err().starts_with("the JSON body holds `inf`"));
    }

    /// A value that serializes once only is sent as serde_json wrote it.
    #[test]
    fn a_value_that_serializes_once_is_sent_as_written() {
        struct Once(std::cell::Cell<bool>);
        impl serde::Serialize for Once {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self.0.replace(true) {
                    false => serializer.serialize_none(),
                    true => Err(serde::ser::Error::custom("already serialized")),
                }
            }
        }
        assert_eq!(json_bytes(&Once(std::cell::Cell::new(false))).unwrap(), b"null");
    }

    #[test]
    fn nulls_and_finite_floats_are_sent_as_serde_json_writes_them() {
        let booking = Booking { guests: 2, prices: vec![None, Some(1.0), Some(-0.0)], note: None };
        assert_eq!(json_bytes(&booking).unwrap(), br#"{"guests":2,"prices":[null,1.0,-0.0],"note":null}"#);
        assert_eq!(json_bytes(&"null").unwrap(), br#""null""#);
    }
}
