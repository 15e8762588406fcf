//! Tests of `config.rs`.

use super::*;

#[test]
fn environment_overrides_defaults() {
    let mut config = Config::default();
    let env = |name: &str| match name {
        "ATENDE_LISTEN" => Some("0.0.0.0:9000".to_owned()),
        "ATENDE_DATA_DIR" => Some("/var/lib/atende".to_owned()),
        _ => None,
    };
    config.apply_env(env).unwrap();
    assert_eq!(config.listen.port(), 9000);
    assert_eq!(config.database_url(), "sqlite:///var/lib/atende/atende.db");
}

#[test]
fn bad_values_are_named() {
    let mut config = Config::default();
    let err = config
        .apply_env(|n| (n == "ATENDE_LISTEN").then(|| "nope".to_owned()))
        .unwrap_err();
    assert!(err.to_string().contains("ATENDE_LISTEN"), "{err}");
    config.default_language = "fr".into();
    assert!(config.settings().unwrap_err().to_string().contains("default_language"));
}

#[test]
fn file_rejects_unknown_keys() {
    let err = toml::from_str::<Config>("listen = \"127.0.0.1:1\"\nlisten_port = 3\n").unwrap_err();
    assert!(err.to_string().contains("listen_port"), "{err}");
}
