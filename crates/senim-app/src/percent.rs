//! Percent-encoding (RFC 3986) for links in pages, e-mails and `otpauth://` URIs, and its decoding for
//! what arrives in query strings and form bodies.

/// Every byte but the unreserved characters of RFC 3986 and `/`: a path, or a value that may keep its
/// slashes.
pub fn encode_path(s: &str) -> String {
    encode(s, true)
}

/// Every byte but the unreserved characters of RFC 3986: one query-string value or path segment.
pub fn encode_component(s: &str) -> String {
    encode(s, false)
}

fn encode(s: &str, keep_slash: bool) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b'/' if keep_slash => "/".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `%XX` sequences decoded; a `%` not followed by two hex digits is kept as it is, invalid UTF-8 replaced.
pub fn decode_lenient(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (b.get(i + 1).and_then(|&c| hex(c)), b.get(i + 2).and_then(|&c| hex(c)))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One `application/x-www-form-urlencoded` name or value (`+` is a space); `None` if it is malformed.
pub fn decode_form(s: &[u8]) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = s.get(i + 1..i + 3).filter(|h| h.iter().all(u8::is_ascii_hexdigit))?;
                out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_keep_their_slashes_components_do_not() {
        assert_eq!(encode_path("/a b/Ақ"), "/a%20b/%D0%90%D2%9B");
        assert_eq!(encode_component("a/b c"), "a%2Fb%20c");
        assert_eq!(encode_component("A-z_0.~"), "A-z_0.~");
    }

    #[test]
    fn decoding_undoes_encoding() {
        for s in ["/a b/Ақ?x=1&y=%", "", "100%"] {
            assert_eq!(decode_lenient(&encode_component(s)), s);
            assert_eq!(decode_form(encode_component(s).as_bytes()).as_deref(), Some(s));
        }
        assert_eq!(decode_lenient("%zz%4"), "%zz%4", "a bad escape is kept");
        assert_eq!(decode_form(b"a+b%21"), Some("a b!".to_owned()));
        assert_eq!(decode_form(b"%zz"), None);
        assert_eq!(decode_form(b"%ff"), None, "not UTF-8");
    }
}
