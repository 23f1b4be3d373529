//! Rate limits on the requests worth abusing: guessing passwords, creating accounts, asking for
//! password resets, filling the disk with uploads, and hammering the API with writes.
//!
//! Settings (read by `senim serve`; requests per minute, `0` turns a limit off):
//! - `SENIM_RATE_SIGNIN` — `POST /signin` and `POST /signin/code` (the second factor) per client IP
//!   (default 10);
//! - `SENIM_RATE_SIGNIN_EMAIL` — `POST /signin` per e-mail address tried (default 10);
//! - `SENIM_RATE_ACCOUNT` — `POST /register`, `POST /password/forgot` and `POST /confirm/resend` (each
//!   sends an e-mail) per client IP (default 5);
//! - `SENIM_RATE_UPLOAD` — attachment uploads, page and API, per client IP (default 30);
//! - `SENIM_RATE_REPORT` — error reports on published entries (`POST /bodies/{code}/entries/{n}/report`
//!   and `POST /api/v1/bodies/{code}/entries/{n}/reports`; anyone may send one, each e-mails the body's
//!   staff) per client IP (default 5);
//! - `SENIM_RATE_API_WRITE` — API writes (`POST`/`PUT`/`PATCH`/`DELETE` under `/api/` with a bearer
//!   token) per token (default 120);
//! - `SENIM_TRUSTED_PROXIES` — comma-separated addresses or CIDR ranges of reverse proxies whose
//!   `X-Forwarded-For` is believed (default none: the peer address is the client).
//!
//! A limit is a GCRA bucket (governor): the full allowance may come at once, then one request per
//! `60 s / limit`. Over it, pages answer a translated 429 page and the API problem JSON, both with
//! `Retry-After`. One limiter lives in each process: behind a load balancer each instance counts alone.
//!
//! The client IP is the TCP peer ([`ConnectInfo`]). `X-Forwarded-For` is read only when the peer is a
//! trusted proxy, right to left, skipping trusted proxies: the first address that is not one is the
//! client (a client can prepend anything it likes, but cannot forge what our own proxy appended).
//! Without `ConnectInfo` (requests built in-process, as in tests) the client is loopback.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use sha2::{Digest, Sha256};

mod settings;

use crate::error::ApiError;
use crate::i18n;
use crate::pages::{Ctx, error_page};
use senim_app::percent::decode_form;

pub use settings::{IpNet, RateLimits, client_ip};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    SignIn,
    Account,
    Upload,
    ApiWrite,
    Report,
}

impl Class {
    fn name(self) -> &'static str {
        match self {
            Class::SignIn => "signin",
            Class::Account => "account",
            Class::Upload => "upload",
            Class::ApiWrite => "api_write",
            Class::Report => "report",
        }
    }
}

/// Which limits a request counts against.
fn classes(method: &Method, path: &str, headers: &HeaderMap) -> Vec<Class> {
    let mut out = Vec::new();
    let write = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !write {
        return out;
    }
    if *method == Method::POST {
        match path {
            // The second step (the TOTP or recovery code) counts with the password step.
            "/signin" | "/signin/code" => out.push(Class::SignIn),
            "/register" | "/password/forgot" | "/confirm/resend" => out.push(Class::Account),
            _ => {}
        }
        let upload = path
            .strip_prefix("/api/v1")
            .unwrap_or(path)
            .strip_prefix("/applications/")
            .and_then(|rest| rest.strip_suffix("/attachments"))
            .is_some_and(|id| !id.is_empty() && !id.contains('/'));
        if upload {
            out.push(Class::Upload);
        }
        if is_report(path) {
            out.push(Class::Report);
        }
    }
    if path.starts_with("/api/") && bearer(headers).is_some() {
        out.push(Class::ApiWrite);
    }
    out
}

/// `/bodies/{code}/entries/{n}/report` or `/api/v1/bodies/{code}/entries/{n}/reports`.
fn is_report(path: &str) -> bool {
    let rest = match path.strip_prefix("/api/v1") {
        Some(api) => api.strip_suffix("/reports"),
        None => path.strip_suffix("/report"),
    };
    let Some(rest) = rest.and_then(|r| r.strip_prefix("/bodies/")) else { return false };
    let parts: Vec<&str> = rest.split('/').collect();
    parts.len() == 3 && parts[1] == "entries" && parts.iter().all(|p| !p.is_empty())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

fn limiter<K: std::hash::Hash + Eq + Clone>(per_minute: u32) -> Option<DefaultKeyedRateLimiter<K>> {
    NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n)))
}

/// The limiters of one process (shared by every request through the layer).
pub struct Limiters {
    on: bool,
    trusted: Vec<IpNet>,
    signin_ip: Option<DefaultKeyedRateLimiter<IpAddr>>,
    signin_email: Option<DefaultKeyedRateLimiter<String>>,
    account_ip: Option<DefaultKeyedRateLimiter<IpAddr>>,
    upload_ip: Option<DefaultKeyedRateLimiter<IpAddr>>,
    /// Keyed by a digest of the token: the limiter's memory holds no secrets.
    api_token: Option<DefaultKeyedRateLimiter<[u8; 16]>>,
    report_ip: Option<DefaultKeyedRateLimiter<IpAddr>>,
    requests: AtomicU64,
}

impl Limiters {
    pub fn new(config: &crate::Http) -> Arc<Limiters> {
        let limits = config.rate_limits.clone().unwrap_or_default();
        Arc::new(Limiters {
            on: config.rate_limits.is_some(),
            trusted: config.trusted_proxies.clone(),
            signin_ip: limiter(limits.signin_per_ip),
            signin_email: limiter(limits.signin_per_email),
            account_ip: limiter(limits.account_per_ip),
            upload_ip: limiter(limits.upload_per_ip),
            api_token: limiter(limits.api_write_per_token),
            report_ip: limiter(limits.report_per_ip),
            requests: AtomicU64::new(0),
        })
    }

    /// Forgets clients whose buckets are full again, now and then, so the maps stay small.
    fn housekeeping(&self) {
        if self.requests.fetch_add(1, Ordering::Relaxed) % 4096 != 4095 {
            return;
        }
        macro_rules! tidy {
            ($($l:ident),*) => {$(if let Some(l) = &self.$l { l.retain_recent(); l.shrink_to_fit(); })*};
        }
        tidy!(signin_ip, signin_email, account_ip, upload_ip, api_token, report_ip);
    }
}

/// `Err(wait)` when over the limit.
fn check<K: std::hash::Hash + Eq + Clone>(
    limiter: &Option<DefaultKeyedRateLimiter<K>>,
    key: &K,
) -> Result<(), Duration> {
    match limiter {
        Some(l) => l.check_key(key).map_err(|not_until| not_until.wait_time_from(l.clock().now())),
        None => Ok(()),
    }
}

/// The layer's function (`axum::middleware::from_fn_with_state` in [`crate::security::wrap`]).
pub async fn enforce(State(limits): State<Arc<Limiters>>, req: Request, next: Next) -> Response {
    if !limits.on {
        return next.run(req).await;
    }
    let classes = classes(req.method(), req.uri().path(), req.headers());
    if classes.is_empty() {
        return next.run(req).await;
    }
    limits.housekeeping();
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let ip = client_ip(peer, req.headers(), &limits.trusted);
    let mut req = req;
    for class in classes {
        let verdict = match class {
            Class::SignIn => match check(&limits.signin_ip, &ip) {
                Err(wait) => Err(wait),
                Ok(()) if limits.signin_email.is_some() => {
                    let (r, email) = match signin_email(req).await {
                        Ok(x) => x,
                        Err(res) => return res,
                    };
                    req = r;
                    email.map_or(Ok(()), |e| check(&limits.signin_email, &e))
                }
                Ok(()) => Ok(()),
            },
            Class::Account => check(&limits.account_ip, &ip),
            Class::Upload => check(&limits.upload_ip, &ip),
            Class::Report => check(&limits.report_ip, &ip),
            Class::ApiWrite => {
                let digest = Sha256::digest(bearer(req.headers()).unwrap_or_default().as_bytes());
                let mut key = [0_u8; 16];
                key.copy_from_slice(&digest[..16]);
                check(&limits.api_token, &key)
            }
        };
        if let Err(wait) = verdict {
            tracing::warn!(class = class.name(), client = %ip, path = req.uri().path(), "rate limited");
            return too_many(&req, wait);
        }
    }
    next.run(req).await
}

/// Reads the e-mail address out of a sign-in form and puts the body back.
async fn signin_email(req: Request) -> Result<(Request, Option<String>), Response> {
    let form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return Ok((req, None));
    }
    let (parts, body) = req.into_parts();
    // A sign-in form is a few hundred bytes; anything near this is not one.
    let bytes =
        axum::body::to_bytes(body, 16 * 1024).await.map_err(|_| StatusCode::PAYLOAD_TOO_LARGE.into_response())?;
    let email = form_value(&bytes, "email").map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty());
    Ok((Request::from_parts(parts, Body::from(bytes)), email))
}

/// One value of an `application/x-www-form-urlencoded` body.
fn form_value(body: &[u8], name: &str) -> Option<String> {
    body.split(|b| *b == b'&').find_map(|pair| {
        let mut kv = pair.splitn(2, |b| *b == b'=');
        let k = kv.next()?;
        (decode_form(k)? == name).then(|| decode_form(kv.next().unwrap_or_default())).flatten()
    })
}

/// 429: problem JSON under `/api/`, a translated page elsewhere; `Retry-After` in whole seconds.
fn too_many(req: &Request, wait: Duration) -> Response {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let path = req.uri().path();
    let mut res = if path.starts_with("/api/") {
        let lang = i18n::negotiate(None, req.headers());
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate-limited").lang(lang).into_response()
    } else {
        let query_lang = req.uri().query().and_then(|q| form_value(q.as_bytes(), "lang"));
        let p = Ctx { lang: i18n::negotiate(query_lang.as_deref(), req.headers()), user: None, path: path.to_owned() };
        error_page(&p, StatusCode::TOO_MANY_REQUESTS, "page-rate-limited")
    };
    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn nets(s: &[&str]) -> Vec<IpNet> {
        s.iter().map(|n| n.parse().unwrap()).collect()
    }

    #[test]
    fn cidr_ranges_match_their_addresses_only() {
        let n: IpNet = "10.0.0.0/8".parse().unwrap();
        assert!(n.contains("10.200.3.4".parse().unwrap()));
        assert!(!n.contains("11.0.0.1".parse().unwrap()));
        assert!(n.contains("::ffff:10.1.2.3".parse().unwrap()), "IPv4-mapped peers count as IPv4");
        let one: IpNet = "2001:db8::1".parse().unwrap();
        assert!(one.contains("2001:db8::1".parse().unwrap()));
        assert!(!one.contains("2001:db8::2".parse().unwrap()));
        assert!("0.0.0.0/0".parse::<IpNet>().unwrap().contains("8.8.8.8".parse().unwrap()));
        assert!("10.0.0.0/33".parse::<IpNet>().is_err());
        assert!("proxy".parse::<IpNet>().is_err());
    }

    #[test]
    fn forwarded_for_is_read_right_to_left_past_trusted_proxies_only() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "1.1.1.1, 203.0.113.9, 10.0.0.2".parse().unwrap());
        let peer: IpAddr = "10.0.0.1".parse().unwrap();
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(
            client_ip(Some(peer), &h, &trusted),
            "203.0.113.9".parse::<IpAddr>().unwrap(),
            "spoofed 1.1.1.1 ignored"
        );
        assert_eq!(client_ip(Some(peer), &h, &[]), peer, "untrusted peer: header ignored");
        assert_eq!(client_ip(None, &h, &[]), IpAddr::V4(Ipv4Addr::LOCALHOST));
        h.insert("x-forwarded-for", "garbage".parse().unwrap());
        assert_eq!(client_ip(Some(peer), &h, &trusted), peer);
    }

    #[test]
    fn the_limited_requests_are_classified_by_path() {
        let h = HeaderMap::new();
        let mut bearer = HeaderMap::new();
        bearer.insert(header::AUTHORIZATION, "Bearer abc".parse().unwrap());
        assert_eq!(classes(&Method::POST, "/signin", &h), vec![Class::SignIn]);
        assert_eq!(classes(&Method::GET, "/signin", &h), vec![]);
        assert_eq!(classes(&Method::POST, "/signin/code", &h), vec![Class::SignIn]);
        assert_eq!(classes(&Method::POST, "/register", &h), vec![Class::Account]);
        assert_eq!(classes(&Method::POST, "/password/forgot", &h), vec![Class::Account]);
        assert_eq!(classes(&Method::POST, "/applications/x1/attachments", &h), vec![Class::Upload]);
        assert_eq!(classes(&Method::POST, "/applications/x1/attachments/a/remove", &h), vec![]);
        assert_eq!(
            classes(&Method::POST, "/api/v1/applications/x1/attachments", &bearer),
            vec![Class::Upload, Class::ApiWrite]
        );
        assert_eq!(classes(&Method::PUT, "/api/v1/applications/x1", &bearer), vec![Class::ApiWrite]);
        assert_eq!(classes(&Method::GET, "/api/v1/applications", &bearer), vec![]);
        assert_eq!(classes(&Method::POST, "/bodies/health/entries/HEALTH-2026-0001/report", &h), vec![Class::Report]);
        assert_eq!(classes(&Method::POST, "/api/v1/bodies/health/entries/H-1/reports", &h), vec![Class::Report]);
        assert_eq!(classes(&Method::POST, "/bodies/health/entries//report", &h), vec![]);
        assert_eq!(classes(&Method::POST, "/reports/abc/status", &h), vec![]);
    }

    #[test]
    fn form_values_are_percent_decoded() {
        assert_eq!(form_value(b"password=x&email=A%40b.kz", "email").as_deref(), Some("A@b.kz"));
        assert_eq!(form_value(b"email=a+b", "email").as_deref(), Some("a b"));
        assert_eq!(form_value(b"email=%D2%9B", "email").as_deref(), Some("қ"));
        assert_eq!(form_value(b"email=%4", "email"), None);
        assert_eq!(form_value(b"x=1", "email"), None);
    }
}
