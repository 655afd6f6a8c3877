//! `Forwarded` and `X-Forwarded-For` from a trusted proxy: any header value gives an address
//! or none, never a panic.
#![no_main]

use std::net::{IpAddr, Ipv4Addr};

use http::{HeaderMap, HeaderValue, header};
use libfuzzer_sys::fuzz_target;
use user_sessions_axum::{ForwardedHeader, TrustedProxies};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, value)) = data.split_first() else {
        return;
    };
    let Ok(value) = HeaderValue::from_bytes(value) else {
        return;
    };
    let (kind, name) = if selector & 1 == 0 {
        (
            ForwardedHeader::XForwardedFor,
            header::HeaderName::from_static("x-forwarded-for"),
        )
    } else {
        (ForwardedHeader::Forwarded, header::FORWARDED)
    };
    let mut headers = HeaderMap::new();
    headers.append(name.clone(), value.clone());
    if selector & 2 != 0 {
        // The header sent twice.
        headers.append(name, value);
    }
    let proxies = "10.0.0.0/8,127.0.0.1/32,::1/128"
        .parse::<TrustedProxies>()
        .expect("networks")
        .header(kind);
    let peer = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
    let _ = proxies.client_ip(Some(peer), &headers);
    let _ = proxies.client_ip(None, &headers);
});
