//! Just enough IAM policy evaluation for endpoint policies (EP-8): does a policy allow one
//! action on one resource for any principal? Deny wins, an Allow is needed; a statement with a
//! `Condition` that would decide the answer makes it unknown.

use serde_json::Value;

/// `Some(true)` allowed, `Some(false)` denied (explicitly or by default), `None` undecidable
/// (unparsable policy, or a deciding statement has conditions).
pub(crate) fn allows(policy: &str, action: &str, resource: &str) -> Option<bool> {
    let doc: Value = serde_json::from_str(policy).ok()?;
    let statements: Vec<&Value> = match doc.get("Statement")? {
        Value::Array(list) => list.iter().collect(),
        one @ Value::Object(_) => vec![one],
        _ => return None,
    };
    let mut allowed = false;
    let mut conditional_allow = false;
    for st in statements {
        let applies = principal_is_anyone(st.get("Principal"))
            && matches_field(st, "Action", "NotAction", action, true)?
            && matches_field(st, "Resource", "NotResource", resource, false)?;
        if !applies {
            continue;
        }
        let conditional = st.get("Condition").is_some_and(|c| c.as_object().is_some_and(|o| !o.is_empty()));
        match st.get("Effect").and_then(Value::as_str) {
            Some("Deny") if conditional => return None,
            Some("Deny") => return Some(false),
            Some("Allow") if conditional => conditional_allow = true,
            Some("Allow") => allowed = true,
            _ => return None,
        }
    }
    match (allowed, conditional_allow) {
        (true, _) => Some(true),
        (false, true) => None,
        (false, false) => Some(false),
    }
}

/// Endpoint policies name the principal; `*` (or `{"AWS": "*"}`) covers the runner's role.
/// A statement for specific principals may or may not cover it: treated as not applying to an
/// Allow (so the answer leans to "not shown to be allowed") but see [`allows`]' callers.
fn principal_is_anyone(principal: Option<&Value>) -> bool {
    match principal {
        None => true,
        Some(Value::String(s)) => s == "*",
        Some(Value::Object(map)) => map.get("AWS").is_some_and(|v| list(v).iter().any(|p| p == "*")),
        _ => false,
    }
}

fn list(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}

/// Whether `value` is covered by the statement's `field` (or not excluded by `not_field`).
/// `None` when neither is present (a malformed statement).
fn matches_field(st: &Value, field: &str, not_field: &str, value: &str, case_insensitive: bool) -> Option<bool> {
    let hit = |patterns: Vec<String>| patterns.iter().any(|p| glob(p, value, case_insensitive));
    if let Some(v) = st.get(field) {
        return Some(hit(list(v)));
    }
    st.get(not_field).map(|v| !hit(list(v)))
}

/// IAM wildcards: `*` any run, `?` one character.
fn glob(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = if case_insensitive {
        (pattern.to_lowercase().chars().collect(), text.to_lowercase().chars().collect())
    } else {
        (pattern.chars().collect(), text.chars().collect())
    };
    // Iterative matching with backtracking to the last `*`.
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some(pi);
                mark = ti;
                pi += 1;
            }
            Some(c) if *c == '?' || Some(c) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some(s) => {
                    pi = s + 1;
                    mark += 1;
                    ti = mark;
                }
                None => return false,
            },
        }
    }
    p.get(pi..).is_some_and(|rest| rest.iter().all(|c| *c == '*'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAYER: &str = "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/sha256/0a1b";

    #[test]
    fn default_full_access_policy_allows() {
        let p = r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;
        assert_eq!(allows(p, "s3:GetObject", LAYER), Some(true));
    }

    #[test]
    fn bucket_restricted_policy_denies_the_layer_bucket() {
        let p = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:PutObject"],"Resource":["arn:aws:s3:::my-artifacts/*"]}]}"#;
        assert_eq!(allows(p, "s3:GetObject", LAYER), Some(false));
        let with_layers = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":["arn:aws:s3:::my-artifacts/*","arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*"]}]}"#;
        assert_eq!(allows(with_layers, "s3:GetObject", LAYER), Some(true));
    }

    #[test]
    fn deny_wins_and_conditions_are_unknown() {
        let deny = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"s3:Get*","Resource":"arn:aws:s3:::prod-*"}]}"#;
        assert_eq!(allows(deny, "s3:GetObject", LAYER), Some(false));
        let conditional = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-123"}}}]}"#;
        assert_eq!(allows(conditional, "s3:GetObject", LAYER), None);
        assert_eq!(allows("not json", "s3:GetObject", LAYER), None);
    }

    #[test]
    fn glob_matches_iam_wildcards() {
        assert!(glob("s3:Get*", "s3:getobject", true));
        assert!(glob("arn:aws:s3:::prod-*-starport-layer-bucket/*", LAYER, false));
        assert!(!glob("arn:aws:s3:::prod-us-west-2-*", LAYER, false));
        assert!(glob("a?c", "abc", false) && !glob("a?c", "ac", false));
    }
}
