use super::*;

fn proxies(list: &[&str]) -> TrustedProxies {
    TrustedProxies::parse(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn the_client_is_the_first_untrusted_hop_from_the_right() {
    let p = proxies(&["127.0.0.1", "10.0.0.0/8"]);
    // Through the local proxy: the client it saw.
    assert_eq!(p.client(ip("127.0.0.1"), &["203.0.113.7"]), ip("203.0.113.7"));
    // A forged left part is skipped: the proxy appended the real address last.
    assert_eq!(
        p.client(ip("127.0.0.1"), &["198.51.100.1, 203.0.113.7"]),
        ip("203.0.113.7")
    );
    // Two trusted hops (a balancer in 10/8, then the local proxy).
    assert_eq!(p.client(ip("127.0.0.1"), &["203.0.113.7, 10.1.2.3"]), ip("203.0.113.7"));
    // Several header lines count as one list.
    assert_eq!(
        p.client(ip("127.0.0.1"), &["203.0.113.7", "10.1.2.3"]),
        ip("203.0.113.7")
    );
    // Garbage stops the walk at the last address believed.
    assert_eq!(
        p.client(ip("127.0.0.1"), &["203.0.113.7, junk, 10.1.2.3"]),
        ip("10.1.2.3")
    );
}

#[test]
fn the_header_is_ignored_from_anyone_else() {
    let p = proxies(&["127.0.0.1"]);
    assert_eq!(p.client(ip("198.51.100.9"), &["203.0.113.7"]), ip("198.51.100.9"));
    assert_eq!(proxies(&[]).client(ip("127.0.0.1"), &["203.0.113.7"]), ip("127.0.0.1"));
    assert_eq!(p.client(ip("127.0.0.1"), &[]), ip("127.0.0.1"));
}

#[test]
fn a_bad_entry_is_named() {
    let err = TrustedProxies::parse(&["10.0.0.0/33".into()]).unwrap_err();
    assert!(err.contains("10.0.0.0/33"), "{err}");
    assert!(TrustedProxies::parse(&["::1".into(), "fd00::/8".into()]).is_ok());
}
