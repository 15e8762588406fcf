//! `Authentication-Results` (RFC 8601): did the server that received the message verify its
//! sender? Only a header added by a host we trust counts (anyone can write one into a message),
//! and only an SPF pass for the sender's domain or a DKIM pass for the From domain.

use super::{Header, domain_of};

/// One `method=result` with its properties (`smtp.mailfrom=...`, `header.d=...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodResult {
    pub method: String,
    pub result: String,
    pub properties: Vec<(String, String)>,
}

/// The header's authserv-id and results; `None` when it is not well-formed.
pub fn parse(value: &str) -> Option<(String, Vec<MethodResult>)> {
    let cleaned = strip_comments(value);
    let mut parts = cleaned.split(';').map(str::trim);
    let authserv = parts.next()?.split_whitespace().next()?.to_ascii_lowercase();
    if authserv.is_empty() {
        return None;
    }
    let mut results = Vec::new();
    for part in parts.filter(|p| !p.is_empty()) {
        let mut tokens = part.split_whitespace();
        let Some((method, result)) = tokens.next().and_then(|t| t.split_once('=')) else {
            continue;
        };
        if method.eq_ignore_ascii_case("none") {
            continue;
        }
        let properties = tokens
            .filter_map(|t| t.split_once('='))
            .map(|(k, v)| (k.to_ascii_lowercase(), v.trim_matches('"').to_owned()))
            .collect();
        results.push(MethodResult {
            method: method.to_ascii_lowercase(),
            result: result.to_ascii_lowercase(),
            properties,
        });
    }
    Some((authserv, results))
}

/// Removes `( ... )` comments, which may nest, and keeps quoted strings as they are.
fn strip_comments(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut depth = 0usize;
    let mut quoted = false;
    for c in value.chars() {
        match c {
            '"' if depth == 0 => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether a trusted receiving host vouched for `from` (the From address): SPF passed for a
/// mail-from in the same domain, or DKIM passed with a signing domain that is the From domain or
/// a parent of it.
pub fn sender_authenticated(headers: &[Header<'_>], trusted_hosts: &[String], from: &str) -> bool {
    let Some(from_domain) = domain_of(from) else {
        return false;
    };
    let aligned = |domain: &str| {
        let domain = domain.trim().trim_start_matches('@').to_ascii_lowercase();
        !domain.is_empty() && (from_domain == domain || from_domain.ends_with(&format!(".{domain}")))
    };
    headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("authentication-results"))
        .filter_map(|(_, value)| parse(value))
        .filter(|(host, _)| trusted_hosts.iter().any(|t| t.eq_ignore_ascii_case(host)))
        .flat_map(|(_, results)| results)
        .any(|r| {
            r.result == "pass"
                && r.properties.iter().any(|(k, v)| match (r.method.as_str(), k.as_str()) {
                    ("spf", "smtp.mailfrom") => domain_of(v).or_else(|| Some(v.clone())).is_some_and(|d| aligned(&d)),
                    ("dkim", "header.d") => aligned(v),
                    ("dkim", "header.i") => domain_of(v).is_some_and(|d| aligned(&d)),
                    _ => false,
                })
        })
}

#[cfg(test)]
#[path = "auth_results_test.rs"]
mod tests;
