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

#[test]
fn secrets_come_from_files_named_by_file_variables() {
    let dir = std::env::temp_dir().join(format!("atende-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("smtp_password");
    std::fs::write(&file, "s3cret with spaces\n").unwrap();
    let path = file.display().to_string();

    let mut config = Config::default();
    config
        .apply_env(|n| match n {
            "ATENDE_SMTP_PASSWORD_FILE" => Some(path.clone()),
            "ATENDE_WHATSAPP_APP_SECRET" => Some("direct".to_owned()),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        config.smtp_password.as_deref(),
        Some("s3cret with spaces"),
        "no final line break"
    );
    assert_eq!(config.whatsapp_app_secret.as_deref(), Some("direct"));

    let both = Config::default()
        .apply_env(|n| match n {
            "ATENDE_SMTP_PASSWORD_FILE" => Some(path.clone()),
            "ATENDE_SMTP_PASSWORD" => Some("other".to_owned()),
            _ => None,
        })
        .unwrap_err()
        .to_string();
    assert!(
        both.contains("ATENDE_SMTP_PASSWORD") && both.contains("keep one"),
        "{both}"
    );

    let missing = Config::default()
        .apply_env(|n| (n == "ATENDE_WHATSAPP_ACCESS_TOKEN_FILE").then(|| "/nonexistent/token".to_owned()))
        .unwrap_err()
        .to_string();
    assert!(missing.contains("/nonexistent/token"), "{missing}");
    std::fs::remove_dir_all(&dir).unwrap();
}
