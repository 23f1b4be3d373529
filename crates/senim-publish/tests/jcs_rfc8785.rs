//! RFC 8785 conformance of `jcs`, with the RFC's own examples.

use proptest::prelude::*;
use senim_publish::jcs::{canonicalize, to_canonical};
use serde_json::{Value, json};

fn text(value: &Value) -> String {
    String::from_utf8(canonicalize(value)).unwrap()
}

/// §3.2.2's example: whitespace removed, members sorted, numbers and strings in canonical form.
#[test]
#[expect(clippy::excessive_precision, reason = "the RFC's input literal, kept as written")]
fn rfc8785_section_3_2_2_example() {
    let value = json!({
        "numbers": [333333333.33333329_f64, 1e30_f64, 4.50_f64, 2e-3_f64, 0.000000000000000000000000001_f64],
        "string": "\u{20ac}$\u{000F}\u{000a}A'\u{0042}\u{0022}\u{005c}\\\"/",
        "literals": [null, true, false]
    });
    assert_eq!(
        text(&value),
        r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
    );
}

/// §3.2.3's sorting example: names compare by UTF-16 code units, so the emoji (a surrogate pair,
/// 0xD83D…) sorts before U+FB33 although its code point is larger.
#[test]
fn rfc8785_section_3_2_3_sorting() {
    let value = json!({
        "\u{20ac}": "Euro Sign",
        "\r": "Carriage Return",
        "\u{fb33}": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\u{1F600}": "Emoji: Grinning Face",
        "\u{0080}": "Control",
        "\u{00f6}": "Latin Small Letter O With Diaeresis"
    });
    let out = text(&value);
    let order = [
        "Carriage Return",
        "One",
        "Control",
        "Latin Small Letter O With Diaeresis",
        "Euro Sign",
        "Emoji: Grinning Face",
        "Hebrew Letter Dalet With Dagesh",
    ];
    let positions: Vec<usize> = order.iter().map(|v| out.find(v).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{out}");
    assert!(out.starts_with("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\""));
}

/// Appendix B: IEEE 754 bit patterns and their canonical text.
#[test]
fn rfc8785_appendix_b_numbers() {
    let vectors: [(u64, &str); 24] = [
        (0x0000000000000000, "0"),
        (0x8000000000000000, "0"),
        (0x0000000000000001, "5e-324"),
        (0x8000000000000001, "-5e-324"),
        (0x7fefffffffffffff, "1.7976931348623157e+308"),
        (0xffefffffffffffff, "-1.7976931348623157e+308"),
        (0x4340000000000000, "9007199254740992"),
        (0xc340000000000000, "-9007199254740992"),
        (0x4430000000000000, "295147905179352830000"),
        (0x44b52d02c7e14af5, "9.999999999999997e+22"),
        (0x44b52d02c7e14af6, "1e+23"),
        (0x44b52d02c7e14af7, "1.0000000000000001e+23"),
        (0x444b1ae4d6e2ef4e, "999999999999999700000"),
        (0x444b1ae4d6e2ef4f, "999999999999999900000"),
        (0x444b1ae4d6e2ef50, "1e+21"),
        (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
        (0x3eb0c6f7a0b5ed8d, "0.000001"),
        (0x41b3de4355555553, "333333333.3333332"),
        (0x41b3de4355555554, "333333333.33333325"),
        (0x41b3de4355555555, "333333333.3333333"),
        (0x41b3de4355555556, "333333333.3333334"),
        (0x41b3de4355555557, "333333333.33333343"),
        (0xbecbf647612f3696, "-0.0000033333333333333333"),
        (0x43143ff3c1cb0959, "1424953923781206.2"),
    ];
    for (bits, expected) in vectors {
        let value = json!(f64::from_bits(bits));
        assert_eq!(text(&value), expected, "bits {bits:016x}");
    }
    // NaN and the infinities cannot enter a serde_json value at all (RFC 8785 makes them errors).
    assert!(serde_json::Number::from_f64(f64::NAN).is_none());
    assert!(serde_json::Number::from_f64(f64::INFINITY).is_none());
}

/// Values whose JavaScript `String(x)` is well known, across the four layouts of `Number::toString`.
#[test]
fn doubles_print_as_javascript_prints_them() {
    let cases: [(f64, &str); 9] = [
        (0.1 + 0.2, "0.30000000000000004"),
        (100.0, "100"),
        (4.35, "4.35"),
        (1.5e300, "1.5e+300"),
        (123e-20, "1.23e-18"),
        (0.000001234, "0.000001234"),
        (1e-7, "1e-7"),
        (1.2345678901234568e20, "123456789012345680000"),
        (-1.0 / 3.0, "-0.3333333333333333"),
    ];
    for (x, expected) in cases {
        assert_eq!(text(&json!(x)), expected);
    }
}

#[test]
fn integers_print_as_digits_and_large_ones_as_doubles() {
    assert_eq!(
        text(&json!([0, 7, -7, 9007199254740992_u64, -9007199254740992_i64])),
        "[0,7,-7,9007199254740992,-9007199254740992]"
    );
    // 2^68 does not fit an integer type here, but 2^53 + 1 does and is not a double: it prints as the
    // double it becomes, as in JavaScript.
    assert_eq!(text(&json!(9007199254740993_u64)), "9007199254740992");
    assert_eq!(text(&json!(u64::MAX)), "18446744073709552000");
    assert_eq!(text(&json!(i64::MIN)), "-9223372036854776000");
}

#[test]
fn strings_escape_only_what_json_requires() {
    let value = json!("\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1f} \u{7f}\u{2028}/Қ😀\"\\");
    assert_eq!(text(&value), "\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \u{7f}\u{2028}/Қ😀\\\"\\\\\"");
}

#[test]
fn nesting_and_empty_containers() {
    let value = json!({"b": [], "a": {}, "c": [{"z": 1, "y": [null]}]});
    assert_eq!(text(&value), r#"{"a":{},"b":[],"c":[{"y":[null],"z":1}]}"#);
    assert_eq!(to_canonical(&vec![1u8, 2]), b"[1,2]");
}

proptest! {
    /// Every finite double prints as text that reads back as the same double.
    #[test]
    fn doubles_round_trip(bits in any::<u64>()) {
        let x = f64::from_bits(bits);
        prop_assume!(x.is_finite());
        let out = text(&json!(x));
        let back: f64 = out.parse().unwrap();
        prop_assert!(back == x, "{x:e} printed as {out}");
    }

    /// Canonical output is a fixed point: parsing and canonicalising again changes nothing.
    #[test]
    fn canonical_form_is_stable(keys in proptest::collection::vec("\\PC{0,6}", 0..8), n in any::<i64>()) {
        let mut map = serde_json::Map::new();
        for (i, k) in keys.iter().enumerate() {
            map.insert(k.clone(), json!([i, n, k]));
        }
        let once = canonicalize(&Value::Object(map));
        let again = canonicalize(&serde_json::from_slice(&once).unwrap());
        prop_assert_eq!(once, again);
    }
}
