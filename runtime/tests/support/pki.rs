//! A certificate authority, a server certificate for 127.0.0.1 and a client
//! certificate, all made in the test, and a TLS acceptor that presents them.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, SanType,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// The test's CA and the certificates it signed.
pub struct Pki {
    pub ca: rcgen::Certificate,
    pub ca_key: KeyPair,
    pub server: rcgen::Certificate,
    pub server_key: KeyPair,
    pub client: rcgen::Certificate,
    pub client_key: KeyPair,
}

/// A new CA with a server certificate for 127.0.0.1 and a client certificate.
pub fn pki() -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, "conv-api test CA");
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::DigitalSignature];
    let ca = params.self_signed(&ca_key).unwrap();
    let server_key = KeyPair::generate().unwrap();
    let server = leaf(ExtendedKeyUsagePurpose::ServerAuth).signed_by(&server_key, &ca, &ca_key);
    let client_key = KeyPair::generate().unwrap();
    let client = leaf(ExtendedKeyUsagePurpose::ClientAuth).signed_by(&client_key, &ca, &ca_key);
    Pki { ca, ca_key, server: server.unwrap(), server_key, client: client.unwrap(), client_key }
}

/// The parameters of a certificate for 127.0.0.1 with `purpose`.
fn leaf(purpose: ExtendedKeyUsagePurpose) -> CertificateParams {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.subject_alt_names = vec![SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST))];
    params.extended_key_usages = vec![purpose];
    params
}

impl Pki {
    /// The same CA, with a server certificate that expired in 2020.
    pub fn with_expired_server(mut self) -> Pki {
        let mut params = leaf(ExtendedKeyUsagePurpose::ServerAuth);
        params.not_before = rcgen::date_time_ymd(2019, 1, 1);
        params.not_after = rcgen::date_time_ymd(2020, 1, 1);
        self.server = params.signed_by(&self.server_key, &self.ca, &self.ca_key).unwrap();
        self
    }
}

/// A TLS acceptor presenting `pki`'s server certificate and offering the ALPN
/// `protocols`; with `require_client_cert`, it accepts only clients presenting a
/// certificate signed by `pki`'s CA.
pub fn acceptor(pki: &Pki, require_client_cert: bool, protocols: &[&[u8]]) -> tokio_rustls::TlsAcceptor {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone()).with_safe_default_protocol_versions();
    let builder = builder.unwrap();
    let builder = if require_client_cert {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(pki.ca.der().clone()).unwrap();
        let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider);
        builder.with_client_cert_verifier(verifier.build().unwrap())
    } else {
        builder.with_no_client_auth()
    };
    let chain = vec![CertificateDer::from(pki.server.der().to_vec())];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.server_key.serialize_der()));
    let mut config = builder.with_single_cert(chain, key).unwrap();
    config.alpn_protocols = protocols.iter().map(|protocol| protocol.to_vec()).collect();
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

impl Pki {
    /// The same CA, with a server certificate for the DNS name `host` in place of
    /// 127.0.0.1: for a server a proxy reaches, the client never resolving `host`.
    pub fn with_server_name(mut self, host: &str) -> Pki {
        let mut params = leaf(ExtendedKeyUsagePurpose::ServerAuth);
        params.subject_alt_names = vec![SanType::DnsName(host.try_into().unwrap())];
        self.server = params.signed_by(&self.server_key, &self.ca, &self.ca_key).unwrap();
        self
    }
}
