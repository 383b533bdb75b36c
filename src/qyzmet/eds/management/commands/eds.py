"""``qyzmet eds``: read certificates and key files, verify certificates and CMS signatures.

    qyzmet eds inspect FILE [--password P]
    qyzmet eds verify-cert CERT --trust DIR --at ISO8601 [--crl FILE]... [--ocsp-response FILE]...
    qyzmet eds verify-cms --signature FILE [--data FILE] --trust DIR --at ISO8601 [--crl FILE]...
                          [--ocsp-response FILE]... [--expect-iin N] [--expect-bin N]
    qyzmet eds sign-cms --key FILE --password P --in DATA --out SIG.der [--attached]

Output is JSON on stdout. Exit status: 0 valid, 1 invalid (a verdict code), 2 usage
errors (bad arguments, unreadable files, a missing part). Each subcommand is a small
handler function returning ``(exit status, payload)`` so others can be added without
touching the rest.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from qyzmet.eds.errors import EdsError

USAGE_ERROR = 2


class UsageError(Exception):
    pass


def _read(path: str | None, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except (OSError, TypeError) as exc:
        raise UsageError(f"cannot read {what} {path!r}: {exc}") from exc


def _moment(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise UsageError(f"--at is not an ISO 8601 moment: {value!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _trust(directory: str):
    from qyzmet.eds.chain import TrustStore

    try:
        return TrustStore.from_directory(directory)
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from exc
    except EdsError as exc:
        raise UsageError(f"unreadable certificate in {directory}: {exc.detail}") from exc


def _sources(options: dict[str, Any]):
    from qyzmet.eds.revocation import RevocationSources

    return RevocationSources(
        crls=[_read(path, "CRL") for path in options.get("crl") or ()],
        ocsp_responses=[
            _read(path, "OCSP response") for path in options.get("ocsp_response") or ()
        ],
    )


def _refusal(code: str, language: str) -> dict[str, Any]:
    from qyzmet.core.refusals import message_for

    return {"valid": False, "code": code, "message": message_for(code).text(language)}


def handle_inspect(options: dict[str, Any]) -> tuple[int, Any]:
    from qyzmet.eds.pkcs12 import load_pkcs12
    from qyzmet.eds.profile import parse_certificate, profile_of

    data = _read(options["file"], "file")
    password = options.get("password")
    try:
        if password is not None or options["file"].lower().endswith((".p12", ".pfx")):
            bundle = load_pkcs12(data, password or "")
            if bundle.certificate is None:
                raise EdsError("malformed", "no certificate in the key file")
            return 0, profile_of(bundle.certificate).to_inspect_dict()
        return 0, parse_certificate(data).to_inspect_dict()
    except EdsError as error:
        return 1, _refusal(error.code, options["lang"])


def handle_verify_cert(options: dict[str, Any]) -> tuple[int, Any]:
    from qyzmet.eds.cms import verify_certificate

    verdict = verify_certificate(
        _read(options["cert"], "certificate"),
        trust=_trust(options["trust"]),
        at=_moment(options.get("at")),
        revocation=_sources(options),
        purpose=options.get("purpose"),
        expect_iin=options.get("expect_iin"),
        expect_bin=options.get("expect_bin"),
    )
    payload = verdict.as_dict(options["lang"])
    payload.pop("signed_attributes", None)
    return (0 if verdict.valid else 1), payload


def handle_verify_cms(options: dict[str, Any]) -> tuple[int, Any]:
    from qyzmet.eds.cms import verify_cms

    data = _read(options["data"], "data") if options.get("data") else None
    verdict = verify_cms(
        _read(options["signature"], "signature"),
        data,
        trust=_trust(options["trust"]),
        at=_moment(options.get("at")),
        revocation=_sources(options),
        purpose=options.get("purpose") or "sign",
        expect_iin=options.get("expect_iin"),
        expect_bin=options.get("expect_bin"),
    )
    return (0 if verdict.valid else 1), verdict.as_dict(options["lang"])


def handle_sign_cms(options: dict[str, Any]) -> tuple[int, Any]:
    """A CAdES-BES CMS over the bytes of --in with the key file (RSA or GOST-2015/512),
    written to --out (DER). Prints what was signed and by whom."""
    from qyzmet.eds.certificate import Certificate
    from qyzmet.eds.profile import profile_of
    from qyzmet.eds.signing import load_signing_key, sign_with_key

    key_file = _read(options["key"], "key file")
    data = _read(options["input"], "data")
    try:
        key, certificate, chain = load_signing_key(key_file, options["password"])
    except EdsError as error:
        return 1, _refusal(error.code, options["lang"])
    signature = sign_with_key(data, key, certificate, chain, detached=not options["attached"])
    try:
        Path(options["output"]).write_bytes(signature)
    except OSError as exc:
        raise UsageError(f"cannot write {options['output']!r}: {exc}") from exc
    from cryptography.hazmat.primitives.serialization import Encoding

    profile = profile_of(Certificate.from_der(certificate.public_bytes(Encoding.DER)))
    return 0, {
        "signed": True,
        "out": options["output"],
        "bytes": len(signature),
        "attached": bool(options["attached"]),
        "algorithm": profile.algorithm,
        "signer": profile.to_inspect_dict()["subject"],
    }


HANDLERS: dict[str, Callable[[dict[str, Any]], tuple[int, Any]]] = {
    "inspect": handle_inspect,
    "verify-cert": handle_verify_cert,
    "verify-cms": handle_verify_cms,
    "sign-cms": handle_sign_cms,
}


def _add_revocation_arguments(parser) -> None:
    parser.add_argument("--trust", required=True, help="folder of trusted CA certificates")
    parser.add_argument("--at", help="moment of validation, ISO 8601 (default: now)")
    parser.add_argument("--crl", action="append", default=[], help="CRL file (repeatable)")
    parser.add_argument(
        "--ocsp-response", action="append", default=[], help="OCSP response file (repeatable)"
    )
    parser.add_argument("--expect-iin", help="the IIN the certificate must carry")
    parser.add_argument("--expect-bin", help="the BIN the certificate must carry")


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # pure file work: no database, no app checks
    help = "EDS tools: inspect, verify-cert, verify-cms, sign-cms (JSON; exit 0/1/2)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)

        inspect = sub.add_parser("inspect", help="profile of a certificate or PKCS#12 file")
        inspect.add_argument("file")
        inspect.add_argument("--password", help="password of a PKCS#12 file")

        cert = sub.add_parser("verify-cert", help="verify a certificate at a moment")
        cert.add_argument("cert")
        cert.add_argument("--purpose", choices=("sign", "auth"))
        _add_revocation_arguments(cert)

        signature = sub.add_parser("verify-cms", help="verify a CMS signature at a moment")
        signature.add_argument("--signature", required=True)
        signature.add_argument("--data", help="the signed data (detached signatures)")
        signature.add_argument("--purpose", choices=("sign", "auth"), default="sign")
        _add_revocation_arguments(signature)

        sign = sub.add_parser(
            "sign-cms", help="sign a file with a key file (RSA or GOST-2015/512): CAdES-BES CMS"
        )
        sign.add_argument("--key", required=True, help="the PKCS#12 key file")
        sign.add_argument("--password", required=True, help="its password")
        sign.add_argument("--in", dest="input", required=True, help="the file to sign")
        sign.add_argument("--out", dest="output", required=True, help="where to write the CMS")
        sign.add_argument(
            "--attached", action="store_true", help="encapsulate the data (default: detached)"
        )

        for subparser in (inspect, cert, signature, sign):
            subparser.add_argument(
                "--lang", choices=("ru", "kk", "en"), default="ru", help="language of messages"
            )

    def handle(self, *args, **options):
        handler = HANDLERS[options["subcommand"]]
        try:
            status, payload = handler(options)
        except UsageError as error:
            self.stderr.write(f"eds {options['subcommand']}: {error}")
            sys.exit(USAGE_ERROR)
        if isinstance(payload, str):
            self.stdout.write(payload)
        else:
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        if status:
            sys.exit(status)
