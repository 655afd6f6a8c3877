//! TLS for `rediss://` and `rediss-cluster://` URLs (cargo feature `redis-tls`): rustls with
//! the *ring* provider, trusting the system's root certificates — or, when the URL names a
//! CA file (`tls_ca_file=/path/ca.pem`), only the certificates in that file.

use std::path::Path;
use std::sync::Arc;

use fred::rustls::crypto::CryptoProvider;
use fred::rustls::pki_types::CertificateDer;
use fred::rustls::pki_types::pem::PemObject;
use fred::rustls::{ClientConfig, RootCertStore};
use fred::types::config::{TlsConfig, TlsConnector};

use crate::{Error, Result};

/// The client's TLS settings: the server's certificate must chain to a root of `ca_file`
/// (PEM, one or more certificates), or to one of the system's roots without it.
pub(super) fn config(ca_file: Option<&Path>) -> Result<TlsConfig> {
    let roots = match ca_file {
        Some(path) => roots_of_file(path)?,
        None => system_roots()?,
    };
    let config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|error| Error::Setting(format!("TLS for Redis: {error}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(TlsConnector::from(config).into())
}

/// The process's default cryptography provider if the application installed one, else *ring*
/// (the one this crate builds: no C toolchain beyond a compiler, unlike aws-lc).
fn provider() -> Arc<CryptoProvider> {
    CryptoProvider::get_default().cloned().unwrap_or_else(|| {
        // Deprecated only for lacking post-quantum key exchange, which aws-lc-rs offers.
        #[allow(deprecated)]
        Arc::new(fred::rustls::crypto::ring::default_provider())
    })
}

fn roots_of_file(path: &Path) -> Result<RootCertStore> {
    let refused = |error: &dyn std::fmt::Display| {
        Error::Setting(format!(
            "the Redis CA file {} cannot be used: {error}",
            path.display()
        ))
    };
    let mut roots = RootCertStore::empty();
    for certificate in CertificateDer::pem_file_iter(path).map_err(|e| refused(&e))? {
        roots
            .add(certificate.map_err(|e| refused(&e))?)
            .map_err(|e| refused(&e))?;
    }
    if roots.is_empty() {
        return Err(refused(&"it holds no PEM certificate"));
    }
    Ok(roots)
}

/// The system's root certificates; those that cannot be read are skipped, as long as some can.
fn system_roots() -> Result<RootCertStore> {
    let found = fred::rustls_native_certs::load_native_certs();
    let mut roots = RootCertStore::empty();
    let (added, _unusable) = roots.add_parsable_certificates(found.certs);
    if added == 0 {
        return Err(Error::Setting(format!(
            "TLS for Redis: no usable root certificate on this system ({:?}); name a CA file \
             with the URL parameter tls_ca_file",
            found.errors
        )));
    }
    Ok(roots)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ca_file_without_certificates_is_refused() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), "not a certificate\n").unwrap();
        let error = config(Some(file.path())).unwrap_err();
        assert!(matches!(error, Error::Setting(_)), "{error:?}");
        assert!(error.to_string().contains("no PEM certificate"), "{error}");
    }

    #[test]
    fn a_missing_ca_file_is_refused() {
        let error = config(Some(Path::new("/nonexistent/ca.pem"))).unwrap_err();
        assert!(matches!(error, Error::Setting(_)), "{error:?}");
    }
}
