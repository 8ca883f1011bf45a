//! TLS with libpq's `sslmode` semantics on rustls: `prefer`/`require` encrypt without checking
//! the certificate (unless a root certificate file exists, then `require` checks the chain like
//! `verify-ca`), `verify-ca` checks the chain, `verify-full` the chain and the host name.

use super::params::{Params, SslMode};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, Error, RootCertStore, SignatureScheme};
use rustls_pki_types::pem::PemObject;
use std::path::PathBuf;
use std::sync::Arc;

pub fn connector(
    params: &Params,
    mode: SslMode,
) -> Result<tokio_postgres_rustls::MakeRustlsConnect, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let root_file = root_cert_file(params);
    let verify_chain = match mode {
        SslMode::VerifyCa | SslMode::VerifyFull => true,
        // libpq: with a root certificate present, `require` verifies the chain.
        SslMode::Require => root_file.as_ref().is_some_and(|f| f.exists()),
        _ => false,
    };
    let chain = if verify_chain {
        let file = root_file.ok_or("no root certificate file (set sslrootcert)")?;
        let roots = load_roots(&file)?;
        let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()
            .map_err(|e| e.to_string())?;
        Some(webpki)
    } else {
        None
    };
    let verifier = Arc::new(Verifier {
        provider: provider.clone(),
        chain,
        check_name: mode == SslMode::VerifyFull,
    });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// `sslrootcert`, else `~/.postgresql/root.crt`; `system` means the system's CA bundle.
fn root_cert_file(params: &Params) -> Option<PathBuf> {
    match &params.sslrootcert {
        Some(p) if p.as_os_str() == "system" => {
            Some(PathBuf::from("/etc/ssl/certs/ca-certificates.crt"))
        }
        Some(p) => Some(p.clone()),
        None => {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".postgresql").join("root.crt"))
        }
    }
}

fn load_roots(file: &PathBuf) -> Result<RootCertStore, String> {
    let certs = CertificateDer::pem_file_iter(file)
        .map_err(|e| format!("cannot read root certificate file {}: {e}", file.display()))?;
    let mut roots = RootCertStore::empty();
    for cert in certs {
        let cert = cert.map_err(|e| format!("bad certificate in {}: {e}", file.display()))?;
        roots
            .add(cert)
            .map_err(|e| format!("bad certificate in {}: {e}", file.display()))?;
    }
    if roots.is_empty() {
        return Err(format!("no certificate in {}", file.display()));
    }
    Ok(roots)
}

/// The certificate check for one `sslmode`: nothing (`prefer`/`require` without a root
/// certificate), the chain (`verify-ca`), or the chain and the host name (`verify-full`).
/// Handshake signatures are always verified, so the connection is encrypted to whoever
/// holds the presented certificate's key.
#[derive(Debug)]
struct Verifier {
    provider: Arc<CryptoProvider>,
    chain: Option<Arc<WebPkiServerVerifier>>,
    check_name: bool,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Err(Error::InvalidCertificate(e)) if !self.check_name && name_mismatch(&e) => {
                Ok(ServerCertVerified::assertion())
            }
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

fn name_mismatch(e: &CertificateError) -> bool {
    matches!(e, CertificateError::NotValidForName)
        || format!("{e:?}").starts_with("NotValidForName")
}
