//! Percent-encoding of a path or a query value for links (pages, e-mails, `otpauth://` URIs): every
//! byte but the unreserved characters of RFC 3986 and `/`.

pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
