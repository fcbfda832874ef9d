"""Read a signed ASiC-E container (.asice, .bdoc) as hostile input: its files, signers and times.

An ASiC-E container (ETSI EN 319 162, what DigiDoc writes) is a zip: the
``mimetype``, the signed files, ``META-INF/manifest.xml`` and one
``META-INF/signatures*.xml`` per signature, each an XAdES signature
(ETSI EN 319 132) over the files' digests and its own signed properties
(the signing time, the signer's certificate). Each signature is checked
here as far as the container itself can tell: every file digest, the digest
of the signed properties, the certificate they name, and the signature value
with the certificate's public key (cryptography). Whether the certificate
was valid and not revoked at the signing time needs the issuer's trust list
and OCSP, which DigiDoc4 checks: this module says so and does not claim it.

The zip is read with the bounds of sources/ooxml.py (sizes, ratios, names,
no DOCTYPE); every problem is an AsiceError naming the part, never a
traceback.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ametijuhend_cli.errors import AmetijuhendError, Message, msg, verbatim
from ametijuhend_cli.messages import excerpt, os_reason
from ametijuhend_cli.sources import ooxml

MIMETYPE = "application/vnd.etsi.asic-e+zip"
#: A container larger than this is no set of job descriptions.
MAX_CONTAINER_BYTES = 256 * 1024 * 1024
#: Nor has a container more signatures than this.
MAX_SIGNATURES = 100

DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
ASIC = "http://uri.etsi.org/02918/v1.2.1#"
_NS = {"ds": DS, "xades": XADES, "asic": ASIC}
_DIGESTS = {
    "http://www.w3.org/2001/04/xmldsig-more#sha224": "sha224",
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}
_MORE = "http://www.w3.org/2001/04/xmldsig-more#"
_SIGNATURES = {
    f"{_MORE}{kind}-{h}": (kind, h)
    for kind in ("rsa", "ecdsa")
    for h in ("sha224", "sha256", "sha384", "sha512")
}
#: Canonicalization: (exclusive, with comments). C14N 1.1 gives the output of
#: 1.0 for what a signature contains (no xml:base or xml:id fix-ups).
_C14N = {
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315": (False, False),
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments": (False, True),
    "http://www.w3.org/2006/12/xml-c14n11": (False, False),
    "http://www.w3.org/2006/12/xml-c14n11#WithComments": (False, True),
    "http://www.w3.org/2001/10/xml-exc-c14n#": (True, False),
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments": (True, True),
}
_SIGNED_PROPERTIES = (
    "http://uri.etsi.org/01903#SignedProperties",
    "http://uri.etsi.org/01903/v1.1.1#SignedProperties",
)


class AsiceError(AmetijuhendError):
    """A container (or a signature in it) cannot be read; the message says where."""


@dataclass(frozen=True)
class Signature:
    """One signature of a container: who signed, when, and what the container proves of it."""

    part: str
    signer: str
    #: the signer's personal code or serial number from the certificate, if any
    serial: str
    signing_time: dt.datetime | None
    #: the files it signs
    files: list[str]
    #: empty when every digest and the signature value check out; else why not
    problems: list[Message] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """Return True when the container proves the signature (not the certificate's status)."""
        return not self.problems


@dataclass(frozen=True)
class Container:
    """A signed container: its files (name → bytes) and its signatures."""

    files: dict[str, bytes]
    signatures: list[Signature]


def _c14n(element: etree._Element, algorithm: str) -> bytes:
    if algorithm not in _C14N:
        said = excerpt(algorithm, 80)
        raise AsiceError(msg("canonicalization {method} is not supported", method=said))
    exclusive, comments = _C14N[algorithm]
    return etree.tostring(element, method="c14n", exclusive=exclusive, with_comments=comments)


def _digest(algorithm: str, data: bytes) -> bytes:
    name = _DIGESTS.get(algorithm)
    if name is None:
        raise AsiceError(msg("digest {method} is not supported", method=excerpt(algorithm, 80)))
    return hashlib.new(name, data).digest()


def _b64(text: str | None, what: Message) -> bytes:
    try:
        return base64.b64decode("".join((text or "").split()), validate=True)
    except (binascii.Error, ValueError):
        raise AsiceError(msg("{what} is not base64", what=what)) from None


def _one(root: etree._Element, path: str, what: Message) -> etree._Element:
    found = root.find(path, _NS)
    if found is None:
        raise AsiceError(msg("the signature has no {what}", what=what))
    return found


def _certificate(signature: etree._Element) -> tuple[object, bytes]:
    from cryptography import x509

    der = _b64(
        _one(signature, "ds:KeyInfo/ds:X509Data/ds:X509Certificate", msg("certificate")).text,
        msg("the certificate"),
    )
    try:
        return x509.load_der_x509_certificate(der), der
    except ValueError:
        raise AsiceError(msg("the signer's certificate cannot be read")) from None


def _signer(certificate: object) -> tuple[str, str]:
    """Return the signer's name (given name and surname, else the common name) and code."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    assert isinstance(certificate, x509.Certificate)
    subject = certificate.subject

    def get(oid: x509.ObjectIdentifier) -> str:
        values = subject.get_attributes_for_oid(oid)
        return str(values[0].value) if values else ""

    given, surname = get(NameOID.GIVEN_NAME), get(NameOID.SURNAME)
    name = f"{given} {surname}".strip() or get(NameOID.COMMON_NAME)
    return name, get(NameOID.SERIAL_NUMBER)


def _check_value(certificate: object, method: str, value: bytes, signed: bytes) -> None:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    assert isinstance(certificate, x509.Certificate)
    if method not in _SIGNATURES:
        said = excerpt(method, 80)
        raise AsiceError(msg("signature method {method} is not supported", method=said))
    kind, name = _SIGNATURES[method]
    algorithms: dict[str, hashes.HashAlgorithm] = {
        "sha224": hashes.SHA224(),
        "sha256": hashes.SHA256(),
        "sha384": hashes.SHA384(),
        "sha512": hashes.SHA512(),
    }
    algorithm = algorithms[name]
    key = certificate.public_key()
    try:
        if kind == "rsa" and isinstance(key, rsa.RSAPublicKey):
            key.verify(value, signed, padding.PKCS1v15(), algorithm)
        elif kind == "ecdsa" and isinstance(key, ec.EllipticCurvePublicKey):
            half = len(value) // 2  # XML signatures carry r and s side by side
            der = encode_dss_signature(
                int.from_bytes(value[:half], "big"), int.from_bytes(value[half:], "big")
            )
            key.verify(der, signed, ec.ECDSA(algorithm))
        else:
            raise AsiceError(msg("the certificate's key does not fit the signature method"))
    except InvalidSignature:
        raise AsiceError(
            msg("the signature value does not match (the signed data was changed)")
        ) from None


def _signing_time(properties: etree._Element) -> dt.datetime | None:
    node = properties.find("xades:SignedSignatureProperties/xades:SigningTime", _NS)
    if node is None or not node.text:
        return None
    try:
        return dt.datetime.fromisoformat(node.text.strip().replace("Z", "+00:00"))
    except ValueError:
        said = excerpt(node.text, 40)
        raise AsiceError(msg("the signing time {time} is not a time", time=said)) from None


def _references(
    signature: etree._Element, files: dict[str, bytes], problems: list[Message]
) -> tuple[list[str], etree._Element | None]:
    """Check every reference's digest; return the files signed and the signed properties."""
    signed_files: list[str] = []
    properties = None
    for ref in signature.findall("ds:SignedInfo/ds:Reference", _NS):
        uri = ref.get("URI", "")
        method = _one(ref, "ds:DigestMethod", msg("digest method")).get("Algorithm", "")
        expected = _b64(_one(ref, "ds:DigestValue", msg("digest")).text, msg("a digest"))
        if ref.get("Type") in _SIGNED_PROPERTIES or uri.startswith("#"):
            target = [
                e
                for e in signature.iterfind(".//xades:SignedProperties", _NS)
                if e.get("Id") == uri[1:]
            ]
            if len(target) != 1:
                said = excerpt(uri, 60)
                raise AsiceError(msg("the signed properties {uri} are missing", uri=said))
            properties = target[0]
            transforms = ref.findall("ds:Transforms/ds:Transform", _NS)
            algorithm = transforms[-1].get("Algorithm", "") if transforms else next(iter(_C14N))
            if _digest(method, _c14n(properties, algorithm)) != expected:
                problems.append(msg("the signed properties were changed after signing"))
            continue
        name = urllib.parse.unquote(uri)
        if name not in files:
            said = excerpt(name, 80)
            problems.append(msg("the signed file {name} is not in the container", name=said))
            continue
        signed_files.append(name)
        if _digest(method, files[name]) != expected:
            problems.append(msg("{name} was changed after signing", name=excerpt(name, 80)))
    return signed_files, properties


def _bound_certificate(properties: etree._Element, der: bytes, problems: list[Message]) -> None:
    """Check that the signed properties name the certificate that verifies the signature."""
    certs = properties.findall(".//xades:SigningCertificate/xades:Cert", _NS)
    certs += properties.findall(".//xades:SigningCertificateV2/xades:Cert", _NS)
    for cert in certs:
        method = cert.find("xades:CertDigest/ds:DigestMethod", _NS)
        value = cert.find("xades:CertDigest/ds:DigestValue", _NS)
        if (
            method is not None
            and value is not None
            and _digest(method.get("Algorithm", ""), der) == _b64(value.text, msg("a digest"))
        ):
            return
    problems.append(msg("the signed properties do not name the signer's certificate"))


def _signature(part: str, data: bytes, files: dict[str, bytes]) -> Signature:
    root = ooxml.parse_xml(data, part)
    signature = root if root.tag == f"{{{DS}}}Signature" else root.find("ds:Signature", _NS)
    if signature is None:
        raise AsiceError(msg("it holds no XML signature (ds:Signature)"))
    problems: list[Message] = []
    certificate, der = _certificate(signature)
    signer, serial = _signer(certificate)
    signed_files, properties = _references(signature, files, problems)
    if properties is None:
        raise AsiceError(msg("it signs no signed properties (no signing time, no certificate)"))
    _bound_certificate(properties, der, problems)
    info = _one(signature, "ds:SignedInfo", verbatim("SignedInfo"))
    canonical = _one(info, "ds:CanonicalizationMethod", msg("canonicalization method"))
    method = canonical.get("Algorithm", "")
    value = _b64(
        _one(signature, "ds:SignatureValue", msg("signature value")).text,
        msg("the signature value"),
    )
    try:
        _check_value(
            certificate,
            _one(info, "ds:SignatureMethod", msg("signature method")).get("Algorithm", ""),
            value,
            _c14n(info, method),
        )
    except AsiceError as exc:
        problems.append(exc.message)
    return Signature(part, signer, serial, _signing_time(properties), signed_files, problems)


def _is_signature(name: str) -> bool:
    return name.startswith("META-INF/") and "signatures" in name.lower() and name.endswith(".xml")


def read_container(data: bytes) -> Container:
    """Return the files and signatures of an ASiC-E container; raise AsiceError if it is none."""
    if len(data) > MAX_CONTAINER_BYTES:
        limit = MAX_CONTAINER_BYTES >> 20
        raise AsiceError(msg("the container is larger than {n} MB", n=limit))
    try:
        parts = ooxml.read_package(data, ascii_names=False)
    except ooxml.PackageError as exc:
        raise AsiceError(
            msg("not a readable ASiC-E container: {reason}", reason=exc.message)
        ) from None
    mimetype = parts.get("mimetype", b"").strip()
    if mimetype != MIMETYPE.encode():
        raise AsiceError(
            msg(
                "not an ASiC-E container: its 'mimetype' is not {mimetype} (a .ddoc or a .p7s "
                "is another format)",
                mimetype=MIMETYPE,
            )
        )
    files = {n: d for n, d in parts.items() if n != "mimetype" and not n.startswith("META-INF/")}
    names = sorted(n for n in parts if _is_signature(n))
    if not names:
        raise AsiceError(msg("the container has no signature (META-INF/signatures*.xml)"))
    if len(names) > MAX_SIGNATURES:
        raise AsiceError(msg("the container has more than {n} signatures", n=MAX_SIGNATURES))
    signatures = []
    for name in names:
        try:
            signatures.append(_signature(name, parts[name], files))
        except ooxml.PackageError as exc:  # it names the part
            raise AsiceError(exc.message) from None
        except AsiceError as exc:
            raise AsiceError(
                msg("{part}: {problem}", part=excerpt(name, 80), problem=exc.message)
            ) from None
    return Container(files, signatures)


def read_container_file(path: Path) -> Container:
    """Return the container in the file ``path``: a regular file of a bounded size."""
    import os
    import stat

    try:
        with path.open("rb") as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise AsiceError(msg("{path}: not a regular file", path=str(path)))
            data = stream.read(MAX_CONTAINER_BYTES + 1)
    except OSError as exc:
        said = msg("{path}: cannot be read ({reason})", path=str(path), reason=os_reason(exc))
        raise AsiceError(said) from None
    try:
        return read_container(data)
    except AsiceError as exc:
        raise AsiceError(msg("{path}: {problem}", path=str(path), problem=exc.message)) from None
