"""Independent readers of the PDFs the tests check: poppler's command-line tools, and an NSS
certificate database (Debian's libnss3-tools ``certutil``) that tells poppler's ``pdfsig``
which CA to trust, so that it judges the signer's chain and not only the digest."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path


def _run(*args: str) -> str:
    answer = subprocess.run(args, capture_output=True, timeout=60, check=False)
    return answer.stdout.decode("utf-8", "replace") + answer.stderr.decode("utf-8", "replace")


def pdftotext(pdf: bytes, folder: Path) -> str:
    path = Path(folder) / "document.pdf"
    path.write_bytes(pdf)
    return _run("pdftotext", "-enc", "UTF-8", str(path), "-")


def nss_database(folder: Path, roots: Iterable[bytes], intermediates: Iterable[bytes] = ()) -> str:
    """A new NSS database in ``folder`` (no password) that trusts ``roots`` as CAs and knows
    ``intermediates`` (PEM or DER) without trusting them; its ``sql:`` name for ``-nssdir``.
    A missing ``certutil`` or a refused import fails the test rather than skipping the check."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    database = Path(tempfile.mkdtemp(prefix="nssdb-", dir=folder))
    name = f"sql:{database}"
    _certutil("-N", "-d", name, "--empty-password")
    for trust, prefix, certificates in (("CT,C,C", "root", roots), (",,", "ca", intermediates)):
        for number, certificate in enumerate(certificates):
            path = database / f"{prefix}-{number}.crt"
            path.write_bytes(certificate)
            _certutil(
                "-A", "-d", name, "-n", f"qyzmet-{prefix}-{number}", "-t", trust, "-i", str(path)
            )
    return name


def _certutil(*args: str) -> None:
    subprocess.run(("certutil", *args), capture_output=True, timeout=60, check=True)


def pdfsig(
    pdf: bytes,
    folder: Path,
    *,
    roots: Iterable[bytes],
    intermediates: Iterable[bytes] = (),
    ocsp: bool = True,
) -> str:
    """poppler's report on the PDF's signatures, judged against an NSS database of its own
    that trusts only ``roots`` (never the machine's or the user's database).

    ``ocsp=False`` for certificates that name an OCSP responder that does not run in the
    test (the demo PKI's point at the ``make run`` address). poppler 22.12 reads NSS's last
    error even when the chain verified, so a miss NSS recovered from shows as "Unknown
    issue with Certificate". Seen here: the unreachable demo responder with OCSP on, and
    certificates with no OCSP or CRL address at all with OCSP off; so OCSP stays on unless
    the certificate names a responder.
    """
    Path(folder).mkdir(parents=True, exist_ok=True)
    path = Path(folder) / "signed.pdf"
    path.write_bytes(pdf)
    options = ["-nssdir", nss_database(folder, roots, intermediates)]
    if not ocsp:
        options.append("-no-ocsp")
    return _run("pdfsig", *options, str(path))


def pdffonts(pdf: bytes, folder: Path) -> str:
    path = Path(folder) / "fonts.pdf"
    path.write_bytes(pdf)
    return _run("pdffonts", str(path))


def pdfimages_count(pdf: bytes, folder: Path) -> int:
    path = Path(folder) / "images.pdf"
    path.write_bytes(pdf)
    listing = _run("pdfimages", "-list", str(path)).splitlines()
    return len([line for line in listing[2:] if line.strip()])


def flip_byte(pdf: bytes, marker: bytes) -> bytes:
    """The PDF with one byte changed: the first byte of ``marker``'s first occurrence."""
    at = pdf.index(marker)
    return pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :]
