"""The eds tests' one demo PKI per test process (made by the real ``qyzmet.demo.pki``) and
readers of its key files: shared by the demo PKI's, the signer's, the OCSP responder's and the
registry's demo people tests."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from cryptography import x509

from qyzmet.demo.pki import DEMO_PASSWORD, create_demo_pki
from qyzmet.eds.pkcs12 import load_pkcs12

BASE_URL = "http://127.0.0.1:8000"


@functools.cache
def shared_demo_pki() -> Path:
    """One demo PKI per test process (RSA 4096 CAs take seconds): tests that change files
    work on a copy (:func:`copy_of_shared`)."""
    directory = Path(tempfile.mkdtemp(prefix="qyzmet-demo-pki-"))
    atexit.register(shutil.rmtree, directory, True)
    create_demo_pki(directory, base_url=BASE_URL)
    return directory


def certificate_of(directory: Path, relative: str) -> x509.Certificate:
    """The key file's certificate, read by our PKCS#12 reader (``cryptography`` refuses
    NCA-style files holding GOST keys) and parsed by ``cryptography``."""
    bundle = load_pkcs12((directory / relative).read_bytes(), DEMO_PASSWORD, require_key=True)
    return x509.load_der_x509_certificate(bundle.certificate.der)


def subject_value(certificate: x509.Certificate, oid) -> str | None:
    values = certificate.subject.get_attributes_for_oid(oid)
    return values[0].value if values else None
