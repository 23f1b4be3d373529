//! The limits of a running server (requests per minute per client, per address, per token) and who the
//! client is behind trusted proxies.

use axum::http::HeaderMap;
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;

/// Requests per minute; `0` is no limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    pub signin_per_ip: u32,
    pub signin_per_email: u32,
    pub account_per_ip: u32,
    pub upload_per_ip: u32,
    pub api_write_per_token: u32,
    pub report_per_ip: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            signin_per_ip: 10,
            signin_per_email: 10,
            account_per_ip: 5,
            upload_per_ip: 30,
            api_write_per_token: 120,
            report_per_ip: 5,
        }
    }
}

/// An address or a CIDR range (`10.0.0.0/8`, `::1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                masked(u32::from(net).into(), 32, self.prefix) == masked(u32::from(ip).into(), 32, self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                masked(u128::from(net), 128, self.prefix) == masked(u128::from(ip), 128, self.prefix)
            }
            _ => false,
        }
    }
}

fn masked(bits: u128, width: u8, prefix: u8) -> u128 {
    let drop = u32::from(width - prefix.min(width));
    bits.checked_shr(drop).unwrap_or(0)
}

impl FromStr for IpNet {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (addr, prefix) = s.split_once('/').map_or((s, None), |(a, p)| (a, Some(p)));
        let addr: IpAddr = addr.parse().map_err(|_| format!("`{s}` is not an IP address or CIDR range"))?;
        let addr = addr.to_canonical();
        let width = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => width,
            Some(p) => {
                p.parse::<u8>().ok().filter(|p| *p <= width).ok_or_else(|| format!("`{s}`: bad prefix length"))?
            }
        };
        Ok(IpNet { addr, prefix })
    }
}

/// The client's address: the peer, or what a trusted proxy says in `X-Forwarded-For`.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let mut client = peer.map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |p| p.to_canonical());
    let is_trusted = |ip: IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(client) {
        return client;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    for hop in hops.into_iter().rev() {
        // Garbage in the header: stop at the last hop we could read.
        let Ok(ip) = hop.parse::<IpAddr>().map(|ip| ip.to_canonical()) else { break };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}
