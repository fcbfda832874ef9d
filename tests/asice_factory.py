"""Signed ASiC-E containers for the tests: test certificates made here, XAdES as DigiDoc has it."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import urllib.parse
import zipfile
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID
from lxml import etree

DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
ASIC = "http://uri.etsi.org/02918/v1.2.1#"
C14N11 = "http://www.w3.org/2006/12/xml-c14n11"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
MIMETYPE = b"application/vnd.etsi.asic-e+zip"


@dataclass(frozen=True)
class Signer:
    """A test signer: a key and a self-signed certificate with an Estonian-style subject."""

    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    certificate: x509.Certificate


def make_signer(given: str, surname: str, code: str, *, kind: str = "rsa") -> Signer:
    """Return a signer with a fresh key and a certificate valid around 2025."""
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    if kind == "rsa":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    else:
        key = ec.generate_private_key(ec.SECP384R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "EE"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{surname.upper()},{given.upper()},{code}"),
            x509.NameAttribute(NameOID.SURNAME, surname.upper()),
            x509.NameAttribute(NameOID.GIVEN_NAME, given.upper()),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, f"PNOEE-{code}"),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
        .not_valid_after(dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc))
        .sign(key, hashes.SHA256())
    )
    return Signer(key, certificate)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _el(parent: etree._Element, ns: str, tag: str, text: str = "", **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    if text:
        el.text = text
    return el


def signature_xml(
    signer: Signer, files: dict[str, bytes], when: dt.datetime, sid: str = "S0"
) -> bytes:
    """Return META-INF/signaturesN.xml: an XAdES signature of ``files`` by ``signer``."""
    root = etree.Element(
        f"{{{ASIC}}}XAdESSignatures", nsmap={"asic": ASIC, "ds": DS, "xades": XADES}
    )
    sig = _el(root, DS, "Signature", Id=sid)
    info = _el(sig, DS, "SignedInfo")
    _el(info, DS, "CanonicalizationMethod", Algorithm=C14N11)
    ec_key = isinstance(signer.key, ec.EllipticCurvePrivateKey)
    method = "ecdsa-sha256" if ec_key else "rsa-sha256"
    _el(info, DS, "SignatureMethod", Algorithm=f"http://www.w3.org/2001/04/xmldsig-more#{method}")
    for n, (name, data) in enumerate(files.items()):
        ref = _el(info, DS, "Reference", Id=f"{sid}-RefId{n}", URI=urllib.parse.quote(name))
        _el(ref, DS, "DigestMethod", Algorithm=SHA256)
        _el(ref, DS, "DigestValue", _b64(hashlib.sha256(data).digest()))
    props_ref = _el(
        info,
        DS,
        "Reference",
        Id=f"{sid}-RefId{len(files)}",
        Type="http://uri.etsi.org/01903#SignedProperties",
        URI=f"#{sid}-SignedProperties",
    )
    _el(_el(props_ref, DS, "Transforms"), DS, "Transform", Algorithm=C14N11)
    _el(props_ref, DS, "DigestMethod", Algorithm=SHA256)
    props_digest = _el(props_ref, DS, "DigestValue")
    value = _el(sig, DS, "SignatureValue", Id=f"{sid}-SIG")
    der = signer.certificate.public_bytes(serialization.Encoding.DER)
    _el(_el(_el(sig, DS, "KeyInfo"), DS, "X509Data"), DS, "X509Certificate", _b64(der))
    qualifying = _el(_el(sig, DS, "Object"), XADES, "QualifyingProperties", Target=f"#{sid}")
    props = _el(qualifying, XADES, "SignedProperties", Id=f"{sid}-SignedProperties")
    ssp = _el(props, XADES, "SignedSignatureProperties")
    _el(ssp, XADES, "SigningTime", when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    cert = _el(_el(ssp, XADES, "SigningCertificateV2"), XADES, "Cert")
    digest = _el(cert, XADES, "CertDigest")
    _el(digest, DS, "DigestMethod", Algorithm=SHA256)
    _el(digest, DS, "DigestValue", _b64(hashlib.sha256(der).digest()))
    props_digest.text = _b64(hashlib.sha256(etree.tostring(props, method="c14n")).digest())
    signed = etree.tostring(info, method="c14n")
    if isinstance(signer.key, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(signer.key.sign(signed, ec.ECDSA(hashes.SHA256())))
        size = (signer.key.curve.key_size + 7) // 8
        raw = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    else:
        from cryptography.hazmat.primitives.asymmetric import padding

        raw = signer.key.sign(signed, padding.PKCS1v15(), hashes.SHA256())
    value.text = _b64(raw)
    return b'<?xml version="1.0" encoding="UTF-8"?>' + etree.tostring(root)


def container(files: dict[str, bytes], signatures: list[bytes]) -> bytes:
    """Return an ASiC-E zip: the mimetype first and stored, the files, manifest, signatures."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        for name, data in files.items():
            zf.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        entries = "".join(
            f'<manifest:file-entry manifest:full-path="{name}" '
            'manifest:media-type="application/octet-stream"/>'
            for name in files
        )
        zf.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
            f'manifest:full-path="/" manifest:media-type="{MIMETYPE.decode()}"/>{entries}'
            "</manifest:manifest>",
        )
        for n, xml in enumerate(signatures):
            zf.writestr(f"META-INF/signatures{n}.xml", xml)
    return out.getvalue()


def signed_container(files: dict[str, bytes], signers: list[Signer], when: dt.datetime) -> bytes:
    """Return a container of ``files`` signed by each of ``signers`` at ``when``."""
    return container(files, [signature_xml(s, files, when, f"S{n}") for n, s in enumerate(signers)])
