//! Query parameters and form fields from any `Serialize` value, as Python `requests`
//! reads `params=` and `data=`: pairs, a map or a struct, in their order; a `None`
//! (or JSON `null`) left out, a list sent as its name repeated; floats as
//! serde_urlencoded writes them (ryu: `0.1` for an `f32` 0.1, `-2.0`, as Python does
//! for everyday values; `1e16` where Python writes `1e+16`), `nan` and `inf` as
//! Python writes them.

use std::fmt;

use conv_api_definitions::names::LISTED_AT_MOST;
use serde::ser::{self, Impossible, SerializeMap, SerializeSeq, SerializeStruct, SerializeTuple};
use serde::Serialize;

/// The `(name, value)` pairs of `fields`, for the query or form body called `what`.
///
/// # Errors
///
/// Every field's problem, naming it: a value that is a map, a list of lists, or bytes
/// that are not UTF-8, which have no text to send; an item that is no pair; a field
/// named by nothing. Else the one problem of a top-level value that is no pairs, map
/// or struct, or of an error of the value's own `Serialize`.
pub(crate) fn pairs<T: Serialize + ?Sized>(fields: &T, what: &str) -> Result<Vec<(String, String)>, Vec<String>> {
    let mut sink = Sink::default();
    let problems = match fields.serialize(Top { sink: &mut sink }) {
        Ok(()) if sink.unlisted > 0 => {
            let more = format!(": {} more fields have no text to send, or no name, and are not listed", sink.unlisted);
            sink.problems.into_iter().chain([more]).collect()
        }
        Ok(()) => sink.problems,
        Err(Problem::Own(message)) => vec![format!(" cannot be encoded ({message})")],
        Err(Problem::Shape(shape)) => vec![shape],
        Err(Problem::NoPair) => vec![format!(" is no list of (name, value) pairs; {SHAPES}")],
    };
    match problems.is_empty() {
        true => Ok(sink.pairs),
        false => Err(problems.into_iter().map(|problem| format!("{what}{problem}")).collect()),
    }
}

/// What fields come to: their pairs, and the problems of those that have none.
#[derive(Default)]
struct Sink {
    pairs: Vec<(String, String)>,
    /// Each following "the query" or "the form body"; the first [`LISTED_AT_MOST`].
    problems: Vec<String>,
    /// Problems past those listed, counted: a map of thousands of fields makes no
    /// message of thousands of lines.
    unlisted: usize,
}

impl Sink {
    /// Keeps the problem of one field, to go on with the next; an error of a value's
    /// own `Serialize` ends them all.
    fn keep(&mut self, outcome: Result<(), Problem>) -> Result<(), Problem> {
        let problem = match outcome {
            Err(Problem::Shape(problem)) => problem,
            other => return other,
        };
        match self.problems.len() < LISTED_AT_MOST {
            true => self.problems.push(problem),
            false => self.unlisted += 1,
        }
        Ok(())
    }
}

/// What a query or form body may be given as.
const SHAPES: &str = "pass pairs like `&[(\"name\", \"value\")]`, a map or a struct";

/// Why fields cannot be encoded.
#[derive(Debug)]
enum Problem {
    /// What a value's own `Serialize` said.
    Own(String),
    /// What is wrong with their shape, following "the query" or "the form body".
    Shape(String),
    /// An item of a list of pairs is no pair: told with its number.
    NoPair,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Own(message) | Problem::Shape(message) => f.write_str(message),
            Problem::NoPair => f.write_str("no (name, value) pair"),
        }
    }
}

impl std::error::Error for Problem {}

impl ser::Error for Problem {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Problem::Own(message.to_string())
    }
}

/// The problem of field `name`, holding `what` ("a map or struct").
fn no_text(name: &str, what: &str) -> Problem {
    Problem::Shape(format!("'s `{name}` is {what}, which has no text to send; give it text, numbers or booleans"))
}

/// The text of one scalar: `Ok(None)` for a `None` or unit, left out.
type Text = Result<Option<String>, Problem>;

/// A float as Python's `str` writes it for everyday values (ryu's shortest form:
/// `0.1` for an `f32` 0.1), and `nan`, `inf` and `-inf`, where ryu writes `NaN`.
fn float_text(value: impl ryu::Float + Into<f64>) -> String {
    match value.into().is_nan() {
        true => "nan".to_string(),
        false => ryu::Buffer::new().format(value).to_string(),
    }
}

/// Implements a serializer's scalar methods through `$scalar(self, text)` (a unit
/// struct is the text of its name, a unit variant of its own, as serde_urlencoded
/// writes them), its `None` and `()` through `$nothing(self)`, and its `Some` and
/// newtypes as their content.
macro_rules! scalars {
    ($scalar:ident, $nothing:ident) => {
        fn serialize_bool(self, v: bool) -> Result<Self::Ok, Problem> {
            self.$scalar(v.to_string())
        }
        fn serialize_i8(self, v: i8) -> Result<Self::Ok, Problem> {
            self.$scalar(v.to_string())
        }
        fn serialize_i16(self, v: i16) -> Result<Self::Ok, Problem> {
            self.$scalar(v.to_string())
        }
        fn serialize_i32(self, v: i32) -> Result<Self::Ok, Problem> {
            self.$scalar(v.to_string())
        }
        fn serialize_i64(self, v: i64) -> Result<Self::Ok, Problem> {
            self.$scalar(v.to_string())
        }
        fn serialize_i128(self, v: i128) -> Result<Self::Ok, Problem> {
            self.$scalar(v.to_string())
        }
        fn serialize_u8(self, v: u8) -> Result<Self::Ok, Problem> {
            self.$scalar(v.to_string())
        }
        fn serialize_u16(self, v: u16) -> Result<Self::Ok, Problem> {
            self.$scalar(v.to_string())
        }
        fn serialize_u32(self, v: u32) -> Result<Self::Ok, Problem> {
            self.$scalar(v.to_string())
        }
        fn serialize_u64(self, v: u64) -> Result<Self::Ok, Problem> {
            self.$scalar(v.to_string())
        }
        fn serialize_u128(self, v: u128) -> Result<Self::Ok, Problem> {
            self.$scalar(v.to_string())
        }
        fn serialize_f32(self, v: f32) -> Result<Self::Ok, Problem> {
            self.$scalar(float_text(v))
        }
        fn serialize_f64(self, v: f64) -> Result<Self::Ok, Problem> {
            self.$scalar(float_text(v))
        }
        fn serialize_char(self, v: char) -> Result<Self::Ok, Problem> {
            self.$scalar(v.to_string())
        }
        fn serialize_str(self, v: &str) -> Result<Self::Ok, Problem> {
            self.$scalar(v.to_string())
        }
        fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<Self::Ok, Problem> {
            self.$scalar(variant.to_string())
        }
        fn serialize_none(self) -> Result<Self::Ok, Problem> {
            self.$nothing()
        }
        fn serialize_unit(self) -> Result<Self::Ok, Problem> {
            self.$nothing()
        }
        fn serialize_unit_struct(self, name: &'static str) -> Result<Self::Ok, Problem> {
            self.$scalar(name.to_string())
        }
        fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok, Problem> {
            value.serialize(self)
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            value: &T,
        ) -> Result<Self::Ok, Problem> {
            value.serialize(self)
        }
    };
}

/// Reads a tuple of `$serializer` as its list (a tuple is a list of a known length).
macro_rules! tuple_as_seq {
    ($serializer:ty) => {
        impl SerializeTuple for $serializer {
            type Ok = <Self as SerializeSeq>::Ok;
            type Error = Problem;

            fn serialize_element<T: Serialize + ?Sized>(&mut self, element: &T) -> Result<(), Problem> {
                SerializeSeq::serialize_element(self, element)
            }
            fn end(self) -> Result<Self::Ok, Problem> {
                SerializeSeq::end(self)
            }
        }
    };
}

/// The whole of a query or form body: pairs, a map or a struct (or `None`).
struct Top<'a> {
    sink: &'a mut Sink,
}

impl Top<'_> {
    fn scalar(self, _: String) -> Result<(), Problem> {
        Err(Problem::Shape(format!(" is a single value, not fields; {SHAPES}")))
    }

    fn nothing(self) -> Result<(), Problem> {
        Ok(())
    }
}

impl<'a> ser::Serializer for Top<'a> {
    type Ok = ();
    type Error = Problem;
    type SerializeSeq = Items<'a>;
    type SerializeTuple = Items<'a>;
    type SerializeTupleStruct = Impossible<(), Problem>;
    type SerializeTupleVariant = Impossible<(), Problem>;
    type SerializeMap = Fields<'a>;
    type SerializeStruct = Fields<'a>;
    type SerializeStructVariant = Impossible<(), Problem>;

    scalars!(scalar, nothing);

    fn serialize_bytes(self, _: &[u8]) -> Result<(), Problem> {
        Err(Problem::Shape(format!(" is bytes, not fields; {SHAPES}")))
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &str, _: u32, _: &str, _: &T) -> Result<(), Problem> {
        Err(Problem::Shape(format!(" is an enum's variant, not fields; {SHAPES}")))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Items<'a>, Problem> {
        Ok(Items { sink: self.sink, number: 0 })
    }
    fn serialize_tuple(self, _: usize) -> Result<Items<'a>, Problem> {
        Ok(Items { sink: self.sink, number: 0 })
    }
    fn serialize_tuple_struct(self, _: &str, _: usize) -> Result<Self::SerializeTupleStruct, Problem> {
        Err(Problem::Shape(format!(" is a tuple struct, not fields; {SHAPES}")))
    }
    fn serialize_tuple_variant(
        self,
        _: &str,
        _: u32,
        _: &str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Problem> {
        Err(Problem::Shape(format!(" is an enum's variant, not fields; {SHAPES}")))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Fields<'a>, Problem> {
        Ok(Fields { sink: self.sink, name: None })
    }
    fn serialize_struct(self, _: &str, _: usize) -> Result<Fields<'a>, Problem> {
        Ok(Fields { sink: self.sink, name: None })
    }
    fn serialize_struct_variant(
        self,
        _: &str,
        _: u32,
        _: &str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Problem> {
        Err(Problem::Shape(format!(" is an enum's variant, not fields; {SHAPES}")))
    }
}

/// The text of a field's `name`: a scalar; a `None` or `()`, which would send the
/// value under no name, and anything else are a problem.
fn field_name<T: Serialize + ?Sized>(name: &T) -> Result<String, Problem> {
    let named_by = |what: &str| Problem::Shape(format!(" has a field named by {what}; name fields with text"));
    match name.serialize(Scalar) {
        Ok(Some(name)) => Ok(name),
        Ok(None) => Err(named_by("nothing (a `None` or `()`)")),
        Err(Problem::Shape(what)) => Err(named_by(&what)),
        Err(own) => Err(own),
    }
}

/// The fields of a map or struct.
struct Fields<'a> {
    sink: &'a mut Sink,
    /// The name of the map's entry whose value comes next.
    name: Option<String>,
}

impl SerializeMap for Fields<'_> {
    type Ok = ();
    type Error = Problem;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Problem> {
        let name = field_name(key);
        self.name = name.as_ref().ok().cloned();
        self.sink.keep(name.map(|_| ()))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Problem> {
        // a key that is no name was told already
        let Some(name) = self.name.take() else { return Ok(()) };
        let outcome = value.serialize(Field { pairs: &mut self.sink.pairs, name: &name });
        self.sink.keep(outcome)
    }
    fn end(self) -> Result<(), Problem> {
        Ok(())
    }
}

impl SerializeStruct for Fields<'_> {
    type Ok = ();
    type Error = Problem;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), Problem> {
        let outcome = value.serialize(Field { pairs: &mut self.sink.pairs, name });
        self.sink.keep(outcome)
    }
    fn end(self) -> Result<(), Problem> {
        Ok(())
    }
}

/// The items of a list of `(name, value)` pairs.
struct Items<'a> {
    sink: &'a mut Sink,
    /// Items so far.
    number: usize,
}

impl Items<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, item: &T) -> Result<(), Problem> {
        self.number += 1;
        let (name, value) = item.serialize(Pair)?;
        self.sink.pairs.extend(value.into_iter().map(|value| (name.clone(), value)));
        Ok(())
    }
}

impl SerializeSeq for Items<'_> {
    type Ok = ();
    type Error = Problem;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, item: &T) -> Result<(), Problem> {
        let outcome = self.item(item).map_err(|problem| match problem {
            Problem::NoPair => Problem::Shape(format!("'s item {} is no (name, value) pair; {SHAPES}", self.number)),
            other => other,
        });
        self.sink.keep(outcome)
    }
    fn end(self) -> Result<(), Problem> {
        Ok(())
    }
}

tuple_as_seq!(Items<'_>);

/// One `(name, value)` pair: a tuple or list of two, whose name is a scalar; its
/// value's texts (none for a `None`, one for each item of a list).
struct Pair;

/// A pair being read: its name once read.
struct PairParts {
    name: Option<String>,
    values: Vec<String>,
    /// Parts read so far.
    parts: usize,
}

impl PairParts {
    fn part<T: Serialize + ?Sized>(&mut self, part: &T) -> Result<(), Problem> {
        self.parts += 1;
        match self.parts {
            1 => self.name = Some(field_name(part)?),
            2 => {
                let name = self.name.clone().unwrap_or_default();
                let mut pairs = Vec::new();
                part.serialize(Field { pairs: &mut pairs, name: &name })?;
                self.values = pairs.into_iter().map(|(_, value)| value).collect();
            }
            _ => return Err(Problem::NoPair),
        }
        Ok(())
    }

    fn finish(self) -> Result<(String, Vec<String>), Problem> {
        match (self.parts, self.name) {
            (2, Some(name)) => Ok((name, self.values)),
            _ => Err(Problem::NoPair),
        }
    }
}

impl SerializeSeq for PairParts {
    type Ok = (String, Vec<String>);
    type Error = Problem;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, part: &T) -> Result<(), Problem> {
        self.part(part)
    }
    fn end(self) -> Result<Self::Ok, Problem> {
        self.finish()
    }
}

tuple_as_seq!(PairParts);

impl Pair {
    fn scalar(self, _: String) -> Result<(String, Vec<String>), Problem> {
        Err(Problem::NoPair)
    }

    fn nothing(self) -> Result<(String, Vec<String>), Problem> {
        Err(Problem::NoPair)
    }
}

impl ser::Serializer for Pair {
    type Ok = (String, Vec<String>);
    type Error = Problem;
    type SerializeSeq = PairParts;
    type SerializeTuple = PairParts;
    type SerializeTupleStruct = Impossible<Self::Ok, Problem>;
    type SerializeTupleVariant = Impossible<Self::Ok, Problem>;
    type SerializeMap = Impossible<Self::Ok, Problem>;
    type SerializeStruct = Impossible<Self::Ok, Problem>;
    type SerializeStructVariant = Impossible<Self::Ok, Problem>;

    scalars!(scalar, nothing);

    fn serialize_bytes(self, _: &[u8]) -> Result<Self::Ok, Problem> {
        Err(Problem::NoPair)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &str,
        _: u32,
        _: &str,
        _: &T,
    ) -> Result<Self::Ok, Problem> {
        Err(Problem::NoPair)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<PairParts, Problem> {
        Ok(PairParts { name: None, values: Vec::new(), parts: 0 })
    }
    fn serialize_tuple(self, _: usize) -> Result<PairParts, Problem> {
        Ok(PairParts { name: None, values: Vec::new(), parts: 0 })
    }
    fn serialize_tuple_struct(self, _: &str, _: usize) -> Result<Self::SerializeTupleStruct, Problem> {
        Err(Problem::NoPair)
    }
    fn serialize_tuple_variant(
        self,
        _: &str,
        _: u32,
        _: &str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Problem> {
        Err(Problem::NoPair)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Problem> {
        Err(Problem::NoPair)
    }
    fn serialize_struct(self, _: &str, _: usize) -> Result<Self::SerializeStruct, Problem> {
        Err(Problem::NoPair)
    }
    fn serialize_struct_variant(
        self,
        _: &str,
        _: u32,
        _: &str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Problem> {
        Err(Problem::NoPair)
    }
}

/// The value of field `name`: a scalar, nothing, or a list of scalars.
struct Field<'a, 'n> {
    pairs: &'a mut Vec<(String, String)>,
    name: &'n str,
}

impl Field<'_, '_> {
    fn scalar(self, text: String) -> Result<(), Problem> {
        self.pairs.push((self.name.to_string(), text));
        Ok(())
    }

    fn nothing(self) -> Result<(), Problem> {
        Ok(())
    }
}

impl<'a, 'n> ser::Serializer for Field<'a, 'n> {
    type Ok = ();
    type Error = Problem;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Impossible<(), Problem>;
    type SerializeTupleVariant = Impossible<(), Problem>;
    type SerializeMap = Impossible<(), Problem>;
    type SerializeStruct = Impossible<(), Problem>;
    type SerializeStructVariant = Impossible<(), Problem>;

    scalars!(scalar, nothing);

    fn serialize_bytes(self, bytes: &[u8]) -> Result<(), Problem> {
        match std::str::from_utf8(bytes) {
            Ok(text) => self.scalar(text.to_string()),
            Err(_) => Err(no_text(self.name, "bytes that are not UTF-8")),
        }
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &str, _: u32, _: &str, _: &T) -> Result<(), Problem> {
        Err(no_text(self.name, "an enum's variant with data"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Problem> {
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Problem> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &str, _: usize) -> Result<Self::SerializeTupleStruct, Problem> {
        Err(no_text(self.name, "a tuple struct"))
    }
    fn serialize_tuple_variant(
        self,
        _: &str,
        _: u32,
        _: &str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Problem> {
        Err(no_text(self.name, "an enum's variant with data"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Problem> {
        Err(no_text(self.name, "a map or struct"))
    }
    fn serialize_struct(self, _: &str, _: usize) -> Result<Self::SerializeStruct, Problem> {
        Err(no_text(self.name, "a map or struct"))
    }
    fn serialize_struct_variant(
        self,
        _: &str,
        _: u32,
        _: &str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Problem> {
        Err(no_text(self.name, "an enum's variant with data"))
    }
}

/// A list's items, each sent under the field's name.
impl SerializeSeq for Field<'_, '_> {
    type Ok = ();
    type Error = Problem;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, item: &T) -> Result<(), Problem> {
        let text = item.serialize(Scalar).map_err(|problem| match problem {
            Problem::Shape(what) => no_text(self.name, &format!("a list holding {what}")),
            own => own,
        })?;
        self.pairs.extend(text.map(|text| (self.name.to_string(), text)));
        Ok(())
    }
    fn end(self) -> Result<(), Problem> {
        Ok(())
    }
}

tuple_as_seq!(Field<'_, '_>);

/// A name, or an item of a list: the text of a scalar; for anything else, what it
/// is ("a list", "a map or struct").
struct Scalar;

impl Scalar {
    fn scalar(self, text: String) -> Text {
        Ok(Some(text))
    }

    fn nothing(self) -> Text {
        Ok(None)
    }
}

impl ser::Serializer for Scalar {
    type Ok = Option<String>;
    type Error = Problem;
    type SerializeSeq = Impossible<Self::Ok, Problem>;
    type SerializeTuple = Impossible<Self::Ok, Problem>;
    type SerializeTupleStruct = Impossible<Self::Ok, Problem>;
    type SerializeTupleVariant = Impossible<Self::Ok, Problem>;
    type SerializeMap = Impossible<Self::Ok, Problem>;
    type SerializeStruct = Impossible<Self::Ok, Problem>;
    type SerializeStructVariant = Impossible<Self::Ok, Problem>;

    scalars!(scalar, nothing);

    fn serialize_bytes(self, bytes: &[u8]) -> Text {
        std::str::from_utf8(bytes)
            .map(|text| Some(text.to_string()))
            .map_err(|_| Problem::Shape("bytes that are not UTF-8".into()))
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &str, _: u32, _: &str, _: &T) -> Text {
        Err(Problem::Shape("an enum's variant with data".into()))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Problem> {
        Err(Problem::Shape("a list".into()))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Problem> {
        Err(Problem::Shape("a list".into()))
    }
    fn serialize_tuple_struct(self, _: &str, _: usize) -> Result<Self::SerializeTupleStruct, Problem> {
        Err(Problem::Shape("a tuple struct".into()))
    }
    fn serialize_tuple_variant(
        self,
        _: &str,
        _: u32,
        _: &str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Problem> {
        Err(Problem::Shape("an enum's variant with data".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Problem> {
        Err(Problem::Shape("a map or struct".into()))
    }
    fn serialize_struct(self, _: &str, _: usize) -> Result<Self::SerializeStruct, Problem> {
        Err(Problem::Shape("a map or struct".into()))
    }
    fn serialize_struct_variant(
        self,
        _: &str,
        _: u32,
        _: &str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Problem> {
        Err(Problem::Shape("an enum's variant with data".into()))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;

    fn texts(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
        pairs.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect()
    }

    #[test]
    fn pairs_maps_and_structs_keep_their_order_and_leave_nulls_out() {
        #[derive(Serialize)]
        struct Search<'a> {
            q: &'a str,
            page: u32,
            status: Option<&'a str>,
            open: bool,
        }
        let search = Search { q: "refund", page: 2, status: None, open: true };
        assert_eq!(texts(&pairs(&search, "the query").unwrap()), [("q", "refund"), ("page", "2"), ("open", "true")]);
        let listed = [("include", Some("users")), ("sort", None)];
        assert_eq!(texts(&pairs(&listed, "the query").unwrap()), [("include", "users")]);
        let map = BTreeMap::from([("a", 1.5), ("b", -2.0)]);
        assert_eq!(texts(&pairs(&map, "the query").unwrap()), [("a", "1.5"), ("b", "-2.0")]);
        let json = json!({ "status": null, "assignee": "ada", "tags": ["a", null, "b"], "n": 7 });
        assert_eq!(
            texts(&pairs(&json, "the query").unwrap()),
            [("assignee", "ada"), ("tags", "a"), ("tags", "b"), ("n", "7")]
        );
        assert!(pairs(&None::<Search>, "the query").unwrap().is_empty());
        assert_eq!(texts(&pairs(&[(1, 'x')], "the query").unwrap()), [("1", "x")]);
        let listed = vec![("tag".to_string(), vec!["a", "b"])];
        assert_eq!(texts(&pairs(&listed, "the query").unwrap()), [("tag", "a"), ("tag", "b")]);
    }

    /// A `Serialize` that adds its own words to the serializer's error (as wrappers
    /// that tell where a value failed do) keeps the problem's text in its message.
    #[test]
    fn a_serialize_that_wraps_the_problem_in_its_own_error_keeps_its_text() {
        struct Wrapping;
        impl Serialize for Wrapping {
            fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str("x").map_err(|error| ser::Error::custom(format_args!("in Wrapping: {error}")))
            }
        }
        let problems = pairs(&Wrapping, "the query").unwrap_err();
        assert_eq!(
            problems,
            [format!("the query cannot be encoded (in Wrapping:  is a single value, not fields; {SHAPES})")]
        );
    }

    #[test]
    fn numbers_are_written_as_python_writes_them() {
        #[derive(Serialize)]
        enum Sort {
            Newest,
        }
        let fields = (
            ("min_rating", 0.1f32),
            ("lat", 51.5074f32),
            ("nan", f64::NAN),
            ("inf", f64::INFINITY),
            ("below", f32::NEG_INFINITY),
            ("big", u128::MAX),
            ("small", i128::MIN),
            ("sort", Sort::Newest),
        );
        assert_eq!(
            texts(&pairs(&fields, "the query").unwrap()),
            [
                ("min_rating", "0.1"),
                ("lat", "51.5074"),
                ("nan", "nan"),
                ("inf", "inf"),
                ("below", "-inf"),
                ("big", "340282366920938463463374607431768211455"),
                ("small", "-170141183460469231731687303715884105728"),
                ("sort", "Newest"),
            ]
        );
    }

    #[test]
    fn bytes_are_text_when_they_are_utf8() {
        struct Bytes<'a>(&'a [u8]);
        impl Serialize for Bytes<'_> {
            fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_bytes(self.0)
            }
        }
        assert_eq!(texts(&pairs(&[("code", Bytes(b"ab"))], "the query").unwrap()), [("code", "ab")]);
        assert_eq!(
            pairs(&[("code", Bytes(&[0xff]))], "the query").unwrap_err(),
            ["the query's `code` is bytes that are not UTF-8, which has no text to send; give it text, numbers or booleans"]
        );
    }

    #[test]
    fn a_field_named_by_nothing_is_a_problem_and_a_unit_struct_is_its_name() {
        #[derive(Serialize)]
        struct Descending;
        let named_by_nothing = "the query has a field named by nothing (a `None` or `()`); name fields with text";
        assert_eq!(pairs(&[(None::<&str>, "v")], "the query").unwrap_err(), [named_by_nothing]);
        let map = BTreeMap::from([(None, "x"), (Some("k"), "y")]);
        assert_eq!(pairs(&map, "the query").unwrap_err(), [named_by_nothing]);
        assert_eq!(texts(&pairs(&[("order", Descending)], "the query").unwrap()), [("order", "Descending")]);
        assert_eq!(texts(&pairs(&[(Descending, "x")], "the query").unwrap()), [("Descending", "x")]);
    }

    #[test]
    fn every_field_without_text_is_told_with_its_name() {
        let nested = json!({ "filter": { "status": "open" }, "page": 2, "sort": { "by": "date" } });
        let told = |name: &str| {
            format!(
                "the query's `{name}` is a map or struct, which has no text to send; give it text, numbers or booleans"
            )
        };
        assert_eq!(pairs(&nested, "the query").unwrap_err(), [told("filter"), told("sort")]);
        let first = |fields: Result<Vec<(String, String)>, Vec<String>>| fields.unwrap_err().remove(0);
        let lists = json!({ "grid": [[1, 2]] });
        assert!(first(pairs(&lists, "the form body")).starts_with("the form body's `grid` is a list holding a list"));
        let items = first(pairs(&["a", "b"], "the query"));
        assert!(items.starts_with("the query's item 1 is no (name, value) pair; pass pairs"), "{items}");
        assert_eq!(pairs(&["a", "b"], "the query").unwrap_err().len(), 2);
        assert!(first(pairs(&[("a", 1, 2)], "the query")).starts_with("the query's item 1 is no (name, value) pair"));
        let items = first(pairs(&[Some(("a", "1")), None], "the query"));
        assert!(items.starts_with("the query's item 2 is no (name, value) pair"), "{items}");
        assert!(first(pairs("text", "the query")).starts_with("the query is a single value, not fields; pass pairs"));
        // nor is any other whole that is no fields
        struct Bytes;
        impl Serialize for Bytes {
            fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_bytes(b"q=1")
            }
        }
        #[derive(Serialize)]
        enum Filter {
            Status(&'static str),
            Range(u8, u8),
            Named { by: &'static str },
        }
        #[derive(Serialize)]
        struct Tuple(&'static str, u8);
        let whole =
            |fields, what: &str| assert_eq!(first(fields), format!("the form body is {what}, not fields; {SHAPES}"));
        whole(pairs(&Bytes, "the form body"), "bytes");
        whole(pairs(&Filter::Status("open"), "the form body"), "an enum's variant");
        whole(pairs(&Filter::Range(1, 2), "the form body"), "an enum's variant");
        whole(pairs(&Filter::Named { by: "date" }, "the form body"), "an enum's variant");
        whole(pairs(&Tuple("a", 1), "the form body"), "a tuple struct");
        // and an item of a list of pairs that is bytes or an enum's variant is no pair
        let items = first(pairs(&[Bytes], "the query"));
        assert!(items.starts_with("the query's item 1 is no (name, value) pair"), "{items}");
        let items = first(pairs(&[Filter::Status("open")], "the query"));
        assert!(items.starts_with("the query's item 1 is no (name, value) pair"), "{items}");
    }

    #[test]
    fn the_first_twenty_fields_without_text_are_told_and_the_rest_counted() {
        let fields: BTreeMap<String, BTreeMap<&str, u8>> =
            (0..1_000).map(|n| (format!("f{n:04}"), BTreeMap::from([("a", 1)]))).collect();
        let problems = pairs(&fields, "the query").unwrap_err();
        assert_eq!(problems.len(), LISTED_AT_MOST + 1);
        assert!(problems[0].starts_with("the query's `f0000` is a map or struct"), "{}", problems[0]);
        assert_eq!(
            problems[LISTED_AT_MOST],
            "the query: 980 more fields have no text to send, or no name, and are not listed"
        );
    }

    #[test]
    fn an_error_of_a_values_own_serialize_is_told_as_it_said() {
        struct Failing;
        impl Serialize for Failing {
            fn serialize<S: ser::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(ser::Error::custom("the clock is not set"))
            }
        }
        assert_eq!(
            pairs(&[("at", Failing)], "the query").unwrap_err(),
            ["the query cannot be encoded (the clock is not set)"]
        );
    }
}
