"""Issuing a result document as the head does (the server prepares the byte range, a
signer signs it, the server embeds the CMS) and reading the issued PDF back with pyHanko and
poppler: shared by the signing and the long-term validation tests."""

import io

from asn1crypto import x509 as asn1_x509
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from qyzmet.results import actions, pades, queries

from .tools import pdfsig

HEAD = "zhumabaev"  # the demo PKI's provider head (first head of the provider's BIN), GOST
# The same head's legacy RSA kit: poppler's pdfsig knows no GOST, so the PDFs it checks are
# signed with this one (GOST-signed PDFs are checked by qyzmet's verifier, pades.validate).
LEGACY_HEAD = "zhumabaev-rsa"


def sign_in_python(pki, data: bytes) -> bytes:
    """qyzmet.eds.signing's CAdES-BES (what API clients and NCALayer send), GOST-2015/512."""
    return pki.sign(HEAD, data)


def sign_in_python_rsa(pki, data: bytes) -> bytes:
    """The same with the head's legacy RSA kit."""
    return pki.sign(LEGACY_HEAD, data)


def issue(decision, pki, sign=sign_in_python):
    covered = actions.prepare_document(decision)
    cms = sign(pki, covered)
    return actions.finalize_document(decision, cms), covered, cms


def stored_pdf(document) -> bytes:
    with document.pdf.open("rb") as handle:
        return handle.read()


def check(pdf: bytes, moment=None):
    """pyHanko's verdict against the anchors the public page trusts (the demo CAs)."""
    return pades.validate(pdf, trust_roots=queries.trust_roots(), moment=moment)


def poppler(pdf: bytes, folder, pki) -> str:
    return pdfsig(
        pdf,
        folder,
        roots=[pki.ca_pem("root")],
        intermediates=[pki.ca_pem("intermediate")],
        ocsp=False,  # the demo responder's address is `make run`'s, not running here
    )


def demo_roots(pki) -> list[asn1_x509.Certificate]:
    """Only the self-signed demo roots: a stricter validator than qyzmet's own (which trusts
    the NCA intermediates as anchors too)."""
    from asn1crypto import pem

    return [
        asn1_x509.Certificate.load(pem.unarmor(pki.ca_pem(name))[2])
        for name in ("root", "gost-root")
    ]


def head_signature(pdf: bytes):
    reader = PdfFileReader(io.BytesIO(pdf))
    return reader, next(s for s in reader.embedded_signatures if s.field_name == pades.FIELD_NAME)


def closed_port_url() -> str:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"  # nothing listens there any more


def upload(client, content: bytes, name: str = "document.pdf", language: str = "ru"):
    return client.post(
        reverse("results:upload") + f"?lang={language}",
        {"pdf": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )
