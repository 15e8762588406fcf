//! The TLS client configuration shared by IMAP (SMTP's comes with lettre): the web's root
//! certificates compiled in, so nothing is fetched at run time.

use std::sync::Arc;

use tokio_rustls::{TlsConnector, rustls};

pub fn connector() -> Result<TlsConnector, String> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(TlsConnector::from(Arc::new(config)))
}
