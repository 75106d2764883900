//! Who may ask: the token check and the Host check, applied to every request.
//!
//! With a token (`--token` or `TENDERSCOPE_TOKEN`), a request must carry it as
//! `Authorization: Bearer T` or `?token=T`; a browser that came in with `?token=T` gets it back
//! as an HttpOnly, SameSite=Strict cookie so that the links it follows keep working, and the
//! cookie is accepted too. Tokens are compared in constant time.
//!
//! Without a token the server only listens on loopback ([`super::check_bind`]), and it answers
//! only requests whose `Host` is a loopback name or address: a web page elsewhere cannot use
//! DNS rebinding to read the index through the auditor's browser.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::state::AppState;

pub const COOKIE: &str = "tenderscope_token";

/// Equal, in time that does not depend on where the bytes differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The value of `name` in a query string, percent-decoded.
pub fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == COOKIE).then(|| v.to_string())
        })
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// Whether a Host header names this machine's loopback (any port) or the bound address.
pub fn loopback_host(host: &str, bind_ip: std::net::IpAddr) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        // [::1]:7878
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match name.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == bind_ip,
        Err(_) => false,
    }
}

fn refuse(status: StatusCode, message: &'static str) -> Response {
    let mut r = (status, message).into_response();
    if status == StatusCode::UNAUTHORIZED {
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"tenderscope\""),
        );
    }
    r
}

/// The middleware: check the token (or, without one, the Host), then add security headers.
pub async fn guard(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let mut set_cookie = None;
    match &state.token {
        Some(expected) => {
            let from_query = req.uri().query().and_then(|q| query_param(q, "token"));
            let given = bearer(req.headers())
                .or_else(|| from_query.clone())
                .or_else(|| cookie_token(req.headers()));
            let ok = given
                .as_deref()
                .is_some_and(|g| constant_time_eq(g.as_bytes(), expected.as_bytes()));
            if !ok {
                return refuse(
                    StatusCode::UNAUTHORIZED,
                    "a token is required: Authorization: Bearer TOKEN, or ?token=TOKEN\n",
                );
            }
            if from_query.is_some() && cookie_token(req.headers()).as_deref() != Some(expected) {
                // Only token-safe characters go into the cookie.
                if expected
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b))
                {
                    set_cookie = Some(format!(
                        "{COOKIE}={expected}; Path=/; HttpOnly; SameSite=Strict"
                    ));
                }
            }
        }
        None => {
            let host = req
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("");
            if !loopback_host(host, state.bind_ip) {
                return refuse(
                    StatusCode::FORBIDDEN,
                    "this server answers only requests to a loopback host name\n",
                );
            }
        }
    }
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if let Some(c) = set_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        h.insert(header::SET_COOKIE, c);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
    }

    #[test]
    fn query_values_are_decoded() {
        assert_eq!(
            query_param("q=a&token=x%2By", "token").as_deref(),
            Some("x+y")
        );
        assert_eq!(query_param("q=a+b", "q").as_deref(), Some("a b"));
        assert_eq!(query_param("q=%", "q").as_deref(), Some("%"));
        assert_eq!(query_param("q=%4", "q").as_deref(), Some("%4"));
        assert_eq!(query_param("q=a", "token"), None);
    }

    #[test]
    fn only_loopback_hosts_pass_without_a_token() {
        let lo: std::net::IpAddr = "127.0.0.1".parse().unwrap();
        assert!(loopback_host("127.0.0.1:7878", lo));
        assert!(loopback_host("localhost:7878", lo));
        assert!(loopback_host("[::1]:7878", lo));
        assert!(loopback_host("127.0.0.1", lo));
        assert!(!loopback_host("evil.example:7878", lo));
        assert!(!loopback_host("", lo));
    }
}
