//! Building the snapshot's JSON from SDK values: CLI-shaped (PascalCase) objects holding the
//! fields `analyze` reads, absent values left out.

use serde_json::{Map, Value};

/// A value that may be left out of an object.
pub(crate) trait Field {
    fn field(self) -> Option<Value>;
}

impl Field for Value {
    fn field(self) -> Option<Value> {
        (!self.is_null()).then_some(self)
    }
}
impl Field for &str {
    fn field(self) -> Option<Value> {
        Some(Value::String(self.to_owned()))
    }
}
impl Field for String {
    fn field(self) -> Option<Value> {
        Some(Value::String(self))
    }
}
impl Field for Option<&str> {
    fn field(self) -> Option<Value> {
        self.map(|s| Value::String(s.to_owned()))
    }
}
impl Field for Option<String> {
    fn field(self) -> Option<Value> {
        self.map(Value::String)
    }
}
impl Field for bool {
    fn field(self) -> Option<Value> {
        Some(Value::Bool(self))
    }
}
impl Field for Option<bool> {
    fn field(self) -> Option<Value> {
        self.map(Value::Bool)
    }
}
impl Field for Option<i32> {
    fn field(self) -> Option<Value> {
        self.map(|n| Value::from(i64::from(n)))
    }
}
impl Field for Option<i64> {
    fn field(self) -> Option<Value> {
        self.map(Value::from)
    }
}
impl Field for Vec<Value> {
    fn field(self) -> Option<Value> {
        Some(Value::Array(self))
    }
}
impl Field for Option<Vec<Value>> {
    fn field(self) -> Option<Value> {
        self.map(Value::Array)
    }
}
impl Field for Option<Value> {
    fn field(self) -> Option<Value> {
        self.filter(|v| !v.is_null())
    }
}

/// `{"Key": value, …}` without the absent values.
macro_rules! obj {
    ($($key:literal => $value:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut map = ::serde_json::Map::new();
        $( if let Some(v) = $crate::export::json::Field::field($value) { map.insert($key.to_owned(), v); } )*
        ::serde_json::Value::Object(map)
    }};
}
pub(crate) use obj;

/// An SDK enum's wire name.
pub(crate) fn en<T: AsRef<str>>(value: Option<&T>) -> Option<String> {
    value.map(|v| v.as_ref().to_owned())
}

/// A list of strings.
pub(crate) fn strings(list: &[String]) -> Vec<Value> {
    list.iter().map(|s| Value::String(s.clone())).collect()
}

/// Keys that may hold secrets are never written (VPN pre-shared keys, customer gateway
/// configurations), wherever they appear.
pub(crate) fn scrub(value: &mut Value) {
    const SECRET_KEYS: &[&str] = &["PreSharedKey", "CustomerGatewayConfiguration", "TunnelOptions"];
    match value {
        Value::Object(map) => {
            map.retain(|k, _| !SECRET_KEYS.contains(&k.as_str()));
            map.values_mut().for_each(scrub);
        }
        Value::Array(list) => list.iter_mut().for_each(scrub),
        _ => {}
    }
}

/// A fresh object map.
pub(crate) fn map() -> Map<String, Value> {
    Map::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_removes_secrets_at_any_depth() {
        let mut v = serde_json::json!({"VpnConnections": [{"CustomerGatewayConfiguration": "<xml/>", "Options": {"TunnelOptions": [{"PreSharedKey": "s3cr3t"}]}}], "Vpcs": []});
        scrub(&mut v);
        let text = v.to_string();
        assert!(!text.contains("s3cr3t") && !text.contains("CustomerGatewayConfiguration"), "{text}");
        assert!(text.contains("Vpcs"));
    }

    #[test]
    fn obj_leaves_out_absent_values() {
        let none: Option<&str> = None;
        let v = obj! { "A" => "x", "B" => none, "C" => Some(true) };
        assert_eq!(v, serde_json::json!({"A": "x", "C": true}));
    }
}
