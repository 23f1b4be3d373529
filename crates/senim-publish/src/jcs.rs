//! RFC 8785, the JSON Canonicalization Scheme (JCS).
//!
//! Hashes and signatures of an edition are taken over canonical bytes, so that a third-party verifier
//! that parses our JSON and re-serialises it per RFC 8785 gets exactly the bytes we hashed, whatever
//! whitespace or key order the served file happens to use (`edition-format.md`, "Hashing").
//!
//! The three rules, each written out below:
//! - object members sorted by their names' UTF-16 code units (§3.2.3), no whitespace (§3.2.1);
//! - strings with only the escapes JSON requires (§3.2.2.2);
//! - numbers as ECMAScript's `Number.prototype.toString` prints them (§3.2.2.3).

use std::cmp::Ordering;

use serde::Serialize;
use serde_json::{Number, Value};

/// The canonical UTF-8 bytes of `value`.
pub fn canonicalize(value: &Value) -> Vec<u8> {
    let mut out = String::new();
    write_value(value, &mut out);
    out.into_bytes()
}

/// The canonical bytes of any serialisable value, through its `serde_json` form.
///
/// # Panics
/// When `t` cannot be represented as JSON (a map with non-string keys, a failing `Serialize` impl).
/// Every type this crate canonicalises (manifests, entries) serialises infallibly, so this is a bug
/// in the caller, not a runtime condition.
pub fn to_canonical<T: Serialize + ?Sized>(t: &T) -> Vec<u8> {
    let value = serde_json::to_value(t).expect("value must be representable as JSON");
    canonicalize(&value)
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|a, b| utf16_order(a.0, b.0));
            out.push('{');
            for (i, (name, item)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(name, out);
                out.push(':');
                write_value(item, out);
            }
            out.push('}');
        }
    }
}

/// §3.2.3: names compare as arrays of UTF-16 code units, not as UTF-8 bytes or code points; the two
/// differ for characters above U+FFFF against U+E000..U+FFFF.
fn utf16_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// §3.2.2.2: `"` and `\` escaped, the five short control escapes, `\u00xx` (lowercase hex) for the
/// other control characters, everything else (including non-ASCII) as-is.
fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The largest integer below which every integer is exactly a double (2^53).
const EXACT_INTEGER_LIMIT: u64 = 1 << 53;

/// §3.2.2.3: JSON numbers are IEEE 754 doubles. Integers that a double holds exactly print as their
/// digits (what ECMAScript prints too, and the common case for our data); anything else goes through
/// the double, as a JavaScript verifier would see it.
fn write_number(n: &Number, out: &mut String) {
    if let Some(u) = n.as_u64().filter(|u| *u <= EXACT_INTEGER_LIMIT) {
        out.push_str(&u.to_string());
    } else if let Some(i) = n.as_i64().filter(|i| i.unsigned_abs() <= EXACT_INTEGER_LIMIT) {
        out.push_str(&i.to_string());
    } else {
        // A `serde_json::Number` is always finite; `as_f64` is `None` only with arbitrary precision
        // for values that overflow, which JSON-as-doubles cannot carry anyway.
        let d = n.as_f64().unwrap_or(f64::NAN);
        out.push_str(&format_double(d));
    }
}

/// ECMAScript `Number::toString(x)` (ECMA-262 §6.1.6.1.20) for a finite double.
///
/// NaN and infinities are not JSON (RFC 8785 §3.2.2.3 makes them an error); they cannot reach here
/// from a `serde_json::Value` and print as `null` should one ever be passed.
pub(crate) fn format_double(x: f64) -> String {
    if !x.is_finite() {
        return "null".to_owned();
    }
    if x == 0.0 {
        // Both +0 and -0 print as "0".
        return "0".to_owned();
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let (digits, exponent) = shortest_digits(x.abs());
    // ECMAScript's names: the value is 0.d1d2…dk × 10^n.
    let k = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    let n = exponent + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(n as usize);
        format!("{int}.{frac}")
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let exp_sign = if n - 1 < 0 { '-' } else { '+' };
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        format!("{first}{dot}{rest}e{exp_sign}{}", (n - 1).abs())
    };
    format!("{sign}{body}")
}

/// The digits `d1d2…dk` and exponent `e` of `x = d1.d2…dk × 10^e` that ECMAScript prints for a
/// positive finite `x`: as few digits as read back as `x`; among those, the closest to `x`; of two
/// equally close, the even one.
///
/// Rust's `{:e}` gives the shortest digit count and the closest digits, but breaks an exact tie
/// upwards (RFC 8785 Appendix B's `1424953923781206.2` case). So the exact decimal expansion of `x`
/// is rounded half-to-even to that many digits, and used when it reads back as `x`.
fn shortest_digits(x: f64) -> (String, i32) {
    let shortest = split_scientific(&format!("{x:e}"));
    // A double's exact decimal expansion has at most 767 significant digits.
    let (exact, exponent) = split_scientific(&format!("{x:.1100e}"));
    let candidate = round_half_even(&exact, exponent, shortest.0.len());
    let (first, rest) = candidate.0.split_at(1);
    let reads_back = format!("{first}.{rest}0e{}", candidate.1).parse::<f64>().is_ok_and(|y| y == x);
    if reads_back { candidate } else { shortest }
}

/// `d.ddd…e±x` as (all digits, exponent).
fn split_scientific(text: &str) -> (String, i32) {
    let (mantissa, exponent) = text.split_once('e').unwrap_or((text, "0"));
    let digits = mantissa.chars().filter(char::is_ascii_digit).collect();
    (digits, exponent.parse().unwrap_or(0))
}

/// `digits × 10^exponent` (first digit before the point) rounded half-to-even to `k` significant
/// digits, trailing zeros removed.
fn round_half_even(digits: &str, exponent: i32, k: usize) -> (String, i32) {
    let bytes = digits.as_bytes();
    let k = k.clamp(1, bytes.len());
    let mut kept: Vec<u8> = bytes[..k].to_vec();
    let rest = &bytes[k..];
    let up = match rest.first() {
        Some(b'6'..=b'9') => true,
        Some(b'5') => rest[1..].iter().any(|d| *d != b'0') || (kept[k - 1] - b'0') % 2 == 1,
        _ => false,
    };
    let mut exponent = exponent;
    if up {
        let mut i = k;
        loop {
            if i == 0 {
                // 99…9 carried over: the value is 10^(exponent + 1).
                kept.insert(0, b'1');
                kept.truncate(k);
                exponent += 1;
                break;
            }
            i -= 1;
            if kept[i] == b'9' {
                kept[i] = b'0';
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    while kept.len() > 1 && kept.last() == Some(&b'0') {
        kept.pop();
    }
    (String::from_utf8(kept).unwrap_or_default(), exponent)
}
