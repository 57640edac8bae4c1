//! One value type for YAML, TOML and JSON front matter.
//!
//! Hugo reads all three formats into the same untyped map and lower-cases
//! every key (`publishDate` and `publishdate` are one key). talkfeed does the
//! same: each format's parser output is converted into [`Value`], keys are
//! lower-cased on the way, and keys that collide only by case are reported.

use std::collections::BTreeMap;

/// A map of lower-cased keys to values.
pub type Map = BTreeMap<String, Value>;

/// A front-matter value, whatever format it was written in.
///
/// TOML dates and times arrive as [`Value::String`] in their RFC 3339 text
/// (`2019-10-05`, `2019-10-05T10:00:00`, `2019-10-05T10:00:00+02:00`), which
/// is also how YAML delivers unquoted dates, so one date parser serves all.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~`, or a YAML key with nothing after the colon.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number (also integers too large for `i64`).
    Float(f64),
    /// A string (or a TOML date/time in its RFC 3339 text).
    String(String),
    /// A list.
    List(Vec<Value>),
    /// A map with lower-cased keys.
    Map(Map),
}

impl Value {
    /// The name of this value's type, for messages ("expected a date, found a list").
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::String(_) => "a string",
            Value::List(_) => "a list",
            Value::Map(_) => "a map",
        }
    }

    /// Returns true if and only if this value means "absent": null, an empty
    /// or blank string. (Hugo and the theme treat `""`, `~` and an empty YAML
    /// value alike.)
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Null => true,
            Value::String(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The bytes of text this value holds, keys included: what copying it
    /// costs (a number counts as 8).
    pub fn text_bytes(&self) -> usize {
        match self {
            Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) => 8,
            Value::String(s) => s.len(),
            Value::List(items) => items.iter().map(Value::text_bytes).sum(),
            Value::Map(m) => m.iter().map(|(k, v)| k.len() + v.text_bytes()).sum(),
        }
    }

    /// The value as a map, if it is one.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// Scalars as the text an author would read: strings as they are,
    /// numbers and booleans in their usual spelling. `None` for null, lists and maps.
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Value::String(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null | Value::List(_) | Value::Map(_) => None,
        }
    }
}

/// A key written twice in one map: exactly (`event:` twice, which Hugo's
/// YAML and JSON readers accept, keeping the last) or only under different
/// case once keys are lower-cased (`publishDate` and `publishdate`). The
/// later one wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatedKey {
    /// The dotted path of the map holding the keys ("" for the top level).
    pub parent: String,
    /// The lower-cased key.
    pub key: String,
    /// The spellings, in the order written (`["Event", "event"]`, or the
    /// same spelling twice).
    pub spellings: Vec<String>,
}

impl RepeatedKey {
    /// The path of the key, outermost first (`["address", "city"]`).
    pub fn segments(&self) -> Vec<&str> {
        self.parent.split('.').filter(|p| !p.is_empty()).chain([self.key.as_str()]).collect()
    }

    /// The dotted path of the key (`address.city`).
    pub fn path(&self) -> String {
        if self.parent.is_empty() { self.key.clone() } else { format!("{}.{}", self.parent, self.key) }
    }

    /// Returns true if and only if the key is written twice the same way
    /// (not only under different case).
    pub fn is_exact(&self) -> bool {
        self.spellings.windows(2).any(|w| w[0] == w[1])
    }
}

/// Builds maps with lower-cased keys, recording repeated keys.
#[derive(Debug, Default)]
pub(crate) struct MapBuilder {
    pub(crate) repeated: Vec<RepeatedKey>,
}

impl MapBuilder {
    /// Inserts `value` under `key` lower-cased, noting the spelling in
    /// `spellings` (one map's); [`MapBuilder::finish`] then records the keys
    /// written more than once. Constant time per key, however many repeats.
    fn insert_spelled(map: &mut Map, spellings: &mut BTreeMap<String, Vec<String>>, key: &str, value: Value) {
        let lower = key.to_lowercase();
        spellings.entry(lower.clone()).or_default().push(key.to_string());
        map.insert(lower, value);
    }

    /// Records the keys of one finished map that were written more than once.
    fn finish(&mut self, parent: &str, spellings: BTreeMap<String, Vec<String>>) {
        for (key, spellings) in spellings.into_iter().filter(|(_, s)| s.len() > 1) {
            self.repeated.push(RepeatedKey { parent: parent.to_string(), key, spellings });
        }
    }

    /// The dotted path of `key` under `parent`.
    pub(crate) fn child(parent: &str, key: &str) -> String {
        if parent.is_empty() { key.to_lowercase() } else { format!("{parent}.{}", key.to_lowercase()) }
    }

    pub(crate) fn convert_toml(&mut self, parent: &str, v: toml::Value) -> Value {
        match v {
            toml::Value::String(s) => Value::String(s),
            toml::Value::Integer(i) => Value::Int(i),
            toml::Value::Float(f) => Value::Float(f),
            toml::Value::Boolean(b) => Value::Bool(b),
            toml::Value::Datetime(d) => Value::String(d.to_string()),
            toml::Value::Array(items) => Value::List(items.into_iter().map(|v| self.convert_toml(parent, v)).collect()),
            toml::Value::Table(t) => self.convert_toml_table(parent, t),
        }
    }

    pub(crate) fn convert_toml_table(&mut self, parent: &str, t: toml::Table) -> Value {
        let mut map = Map::new();
        let mut spellings = BTreeMap::new();
        for (k, v) in t {
            let child = Self::child(parent, &k);
            let value = self.convert_toml(&child, v);
            Self::insert_spelled(&mut map, &mut spellings, &k, value);
        }
        self.finish(parent, spellings);
        Value::Map(map)
    }
}

/// Builds a [`Value`] straight from a serde deserializer (YAML and JSON):
/// keys are lower-cased, and a key written twice, exactly or under another
/// case, is recorded and the later value kept, as Hugo 0.111's YAML and JSON
/// readers keep it. (`serde_norway::Value` refuses exact repeats and
/// `serde_json::Value` drops them silently; neither is what Hugo does.) A
/// YAML tag (`!foo bar`) arrives as an enum and is dropped, keeping the value.
pub(crate) struct ValueSeed<'a> {
    pub(crate) builder: &'a std::cell::RefCell<MapBuilder>,
    pub(crate) parent: String,
}

impl<'de> serde::de::DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a front-matter value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(ValueSeed { builder: self.builder, parent: self.parent.clone() })? {
            items.push(v);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        let mut spellings = BTreeMap::new();
        while let Some(key) = access.next_key_seed(KeySeed)? {
            let child = MapBuilder::child(&self.parent, &key);
            let value = access.next_value_seed(ValueSeed { builder: self.builder, parent: child })?;
            MapBuilder::insert_spelled(&mut map, &mut spellings, &key, value);
        }
        self.builder.borrow_mut().finish(&self.parent, spellings);
        Ok(Value::Map(map))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use serde::de::VariantAccess;
        let (_tag, variant): (serde::de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant_seed(self)
    }
}

/// A map key as text, as Hugo's maps have string keys: YAML writes numbers
/// and booleans as keys too (`1:`, `true:`); a list or map as a key is an error.
struct KeySeed;

impl<'de> serde::de::DeserializeSeed<'de> for KeySeed {
    type Value = String;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for KeySeed {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a key (text, a number or a boolean)")
    }
    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_unit<E>(self) -> Result<String, E> {
        Ok(String::from("null"))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<String, A::Error> {
        use serde::de::VariantAccess;
        let (_tag, variant): (serde::de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant_seed(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_datetimes_become_their_rfc3339_text() {
        let t: toml::Table =
            toml::from_str("a = 2019-10-05\nb = 2019-10-05T10:00:00\nc = 2019-10-05T10:00:00+02:00").unwrap();
        let v = MapBuilder::default().convert_toml_table("", t);
        let m = v.as_map().unwrap();
        assert_eq!(m["a"], Value::String("2019-10-05".into()));
        assert_eq!(m["b"], Value::String("2019-10-05T10:00:00".into()));
        assert_eq!(m["c"], Value::String("2019-10-05T10:00:00+02:00".into()));
    }

    #[test]
    fn json_repeated_keys_keep_the_last_and_are_recorded() {
        use serde::de::DeserializeSeed;
        let b = std::cell::RefCell::new(MapBuilder::default());
        let mut de = serde_json::Deserializer::from_str(r#"{"Tags": ["a"], "tags": ["b"], "n": 18446744073709551615}"#);
        let v = ValueSeed { builder: &b, parent: String::new() }.deserialize(&mut de).unwrap();
        assert_eq!(v.as_map().unwrap()["tags"], Value::List(vec![Value::String("b".into())]));
        assert!(matches!(v.as_map().unwrap()["n"], Value::Float(_)));
        let r = &b.borrow().repeated[0];
        assert_eq!((r.path(), r.is_exact()), ("tags".to_string(), false));
        let b = std::cell::RefCell::new(MapBuilder::default());
        let mut de = serde_json::Deserializer::from_str("{\"x\": {\"a\": 1,\n \"a\": 2, \"A\": 3}}");
        let v = ValueSeed { builder: &b, parent: String::new() }.deserialize(&mut de).unwrap();
        assert_eq!(v.as_map().unwrap()["x"].as_map().unwrap()["a"], Value::Int(3));
        let r = &b.borrow().repeated;
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(
            (r[0].path(), r[0].spellings.clone()),
            ("x.a".to_string(), vec!["a".into(), "a".into(), "A".into()])
        );
        assert!(r[0].is_exact());
    }

    #[test]
    fn empty_values_mean_absent() {
        assert!(Value::Null.is_empty());
        assert!(Value::String("  ".into()).is_empty());
        assert!(!Value::String("x".into()).is_empty());
        assert!(!Value::List(vec![]).is_empty());
    }
}
