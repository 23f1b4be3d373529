//! The choice of language for a request; the translations themselves are `senim_app::i18n`'s.
//!
//! Kazakh is the default. A `lang` query parameter (the language switcher's links) wins, then the
//! `lang` cookie it sets, then `Accept-Language`.

use axum::http::HeaderMap;
pub use senim_app::i18n::*;
use senim_domain::lang::Lang;

/// Picks the language: `?lang=`, then the cookie, then `Accept-Language`, then Kazakh.
pub fn negotiate(query_lang: Option<&str>, headers: &HeaderMap) -> Lang {
    if let Some(l) = query_lang.and_then(Lang::parse) {
        return l;
    }
    if let Some(l) = cookie(headers, "lang").and_then(|v| Lang::parse(&v)) {
        return l;
    }
    if let Some(accept) = headers.get("accept-language").and_then(|v| v.to_str().ok()) {
        let mut best: Option<(f32, Lang)> = None;
        for part in accept.split(',') {
            let mut it = part.trim().split(';');
            let tag = it.next().unwrap_or("").trim();
            let q = it.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(lang) = Lang::parse(primary)
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
        if let Some((_, l)) = best {
            return l;
        }
    }
    Lang::Kk
}

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all("cookie").iter().filter_map(|v| v.to_str().ok()).find_map(|h| {
        h.split(';').find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then(|| v.to_owned())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kazakh_is_the_default_and_accept_language_is_honoured() {
        let mut h = HeaderMap::new();
        assert_eq!(negotiate(None, &h), Lang::Kk);
        h.insert("accept-language", "en-US,en;q=0.9,ru;q=0.8".parse().unwrap());
        assert_eq!(negotiate(None, &h), Lang::En);
        h.insert("cookie", "a=b; lang=ru".parse().unwrap());
        assert_eq!(negotiate(None, &h), Lang::Ru);
        assert_eq!(negotiate(Some("kk"), &h), Lang::Kk);
    }
}
