#!/usr/bin/env python3
"""Example client of the qyzmet REST API (/api/v1/): the whole portal route of an applicant.

    python docs/api-client-example.py --base-url http://127.0.0.1:8000 \
        --auth-key AUTH_KEY.p12 --sign-key SIGN_KEY.p12 --password 'key-file-password' \
        [--service temporary-export] [--portal-password '...'] [--wait-result 600 --out result.pdf]
        [--signer auto|cryptography|qyzmet] [--qyzmet-command 'qyzmet']

What it does, step by step (regulation 2/339, p.10 "через портал"):

1. reads the catalogue: the services in force and the chosen service's passport;
2. signs up with the EDS (signs a server-issued one-time challenge with the AUTH key), or logs
   in with the EDS if the account exists; sets the portal password, then logs in again with
   the IIN (a legal entity's representative: IIN + the entity's BIN) + password (both
   log-ins of condition 1; docs/accounts.md);
3. creates a draft with the form data, uploads a PDF for every required document that
   is not part of the signed request itself (catalogue form "e_request");
4. fetches the exact bytes to sign (the server's canonical request), signs them with the SIGN
   key (detached CMS) and submits — with an Idempotency-Key, and once more with the same key
   to show that a retry registers nothing new;
5. prints the registration number, the status and the timeline; optionally waits for the
   result and saves the signed PDF.

Signing (the key stays on this machine; the server only verifies). Two signers:

* ``cryptography`` — RSA key files that ``cryptography`` opens: a detached CMS with
  RSA/SHA-256 made here, with only the standard library and ``cryptography``;
* ``qyzmet`` — an external signer, the command ``qyzmet eds sign-cms --key FILE --password P
  --in DATA --out SIG.der`` (``pip install`` qyzmet, or a qyzmet checkout's ``.venv/bin/qyzmet``):
  GOST 34.10-2015/512 key files (every NCA key since 28.04.2024, ``GOST512_….p12``) and NCA's
  RSA files, whose certificate bag uses 40-bit RC2, which ``cryptography`` refuses.

``--signer auto`` (the default) uses ``cryptography`` when it can open the file and the
external signer otherwise. Note that the key file's password is passed to the external signer
on its command line (visible to other users of this machine in the process list).

Errors of the API are JSON {"code", "message", "field"}; the client prints them and exits
with status 1.
"""

from __future__ import annotations

import argparse
import base64
import json
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12

SAMPLE_FORMS = {
    "temporary-export": {
        "receiving_party": "Государственный Эрмитаж",
        "country": "RU",
        "purpose": "temporary_exhibition",
        "purpose_details": "Выставка «Сокровища степи», Санкт-Петербург",
        "export_period": {"from": "2026-06-01", "until": "2026-09-30"},
        "items": [
            {
                "name": "Ковёр ворсовый «Қызыл гүл»",
                "author": "неизвестный мастер",
                "dating": "конец XIX века",
                "material_technique": "шерсть, ручное ткачество",
                "dimensions": "210 × 140 см",
                "inventory_number": "ЦГМ КП-1000",
                "quantity": 1,
                "insured_value": {"amount": 1500000, "currency": "KZT"},
                "photo": "photos.pdf",
            }
        ],
    },
    "restoration-approval": {
        "monument": {
            "name": "Здание Дома офицеров",
            "address": "г. Алматы, ул. Кабанбай батыра, 93",
            "category": "local",
            "register_entry": "Гос. список памятников г. Алматы, № 45",
        },
        "works": {
            "kinds": ["conservation", "restoration"],
            "description": "Реставрация фасада и кровли, консервация лепного декора.",
            "planned_start": "2026-05-01",
            "planned_end": "2026-10-31",
        },
        "project_documentation": {
            "title": "Проект научной реставрации фасада",
            "developer": "ТОО «Қалпына келтіру»",
            "date": "2026-02-10",
            "attachment": "project_documentation.pdf",
        },
        "contractor": {
            "name": "ТОО «Реставратор»",
            "bin": "150340000109",
            "licence": {
                "number": "ЛИЦ-0001234",
                "date": "2020-04-01",
                "attachment": "contractor_licence.pdf",
            },
        },
    },
}


class ApiError(Exception):
    def __init__(self, status: int, body: dict) -> None:
        super().__init__(f"{status} {body.get('code')}: {body.get('message')}")
        self.status = status
        self.body = body

    @property
    def code(self) -> str:
        return self.body.get("code", "")


@dataclass
class Client:
    base_url: str
    language: str = "ru"
    token: str | None = None

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise SystemExit("--base-url must be an http:// or https:// address")

    def request(self, method: str, path: str, *, json_body=None, body=None, headers=None):
        url = self.base_url.rstrip("/") + "/api/v1" + path
        all_headers = {"Accept": "application/json", "Accept-Language": self.language}
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        if json_body is not None:
            body = json.dumps(json_body).encode("utf-8")
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        # The scheme is http(s): checked in __post_init__.
        request = urllib.request.Request(url, data=body, method=method, headers=all_headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                payload = response.read()
                kind = response.headers.get("Content-Type", "")
                status = response.status
        except urllib.error.HTTPError as error:
            payload = error.read()
            try:
                raise ApiError(error.code, json.loads(payload)) from None
            except json.JSONDecodeError:
                raise ApiError(error.code, {"code": "http_error", "message": str(error)}) from None
        if "application/json" in kind:
            return status, json.loads(payload) if payload else None
        return status, payload

    def get(self, path: str):
        return self.request("GET", path)[1]

    def post(self, path: str, data: dict | None = None, headers=None):
        return self.request("POST", path, json_body=data or {}, headers=headers)[1]

    def upload(self, path: str, fields: dict[str, str], file_name: str, content: bytes):
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{file_name}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        content_type = f"multipart/form-data; boundary={boundary}"
        return self.request("POST", path, body=body, headers={"Content-Type": content_type})[1]


# --- EDS: the key never leaves this machine -----------------------------------------------------


@dataclass
class KeyFile:
    """A key file and how to sign with it: ``private_key``/``certificate`` when
    ``cryptography`` opened it, else ``external`` (the qyzmet command) signs."""

    path: Path
    password: str
    private_key: object = None
    certificate: object = None
    external: list[str] | None = None

    @classmethod
    def load(cls, path: Path, password: str, signer: str, command: list[str]) -> KeyFile:
        if not path.is_file():
            raise SystemExit(f"{path}: no such key file")
        if signer in ("auto", "cryptography"):
            try:
                key, certificate, _chain = pkcs12.load_key_and_certificates(
                    path.read_bytes(), password.encode("utf-8")
                )
            except ValueError as error:  # GOST, or NCA's RC2-40 bags, or a wrong password
                if signer == "cryptography":
                    raise SystemExit(f"{path}: cryptography cannot open it ({error})") from None
            else:
                if key is None or certificate is None:
                    raise SystemExit(f"{path}: no private key and certificate in the key file")
                return cls(path, password, key, certificate)
        return cls(path, password, external=command)

    def sign_detached(self, data: bytes) -> bytes:
        """A detached CMS SignedData over ``data``, DER."""
        if self.external is not None:
            return self._sign_externally(data)
        # SHA-256; signed attributes contentType, signingTime, messageDigest
        return (
            pkcs7.PKCS7SignatureBuilder()
            .set_data(data)
            .add_signer(self.certificate, self.private_key, hashes.SHA256())
            .sign(
                serialization.Encoding.DER,
                [
                    pkcs7.PKCS7Options.DetachedSignature,
                    pkcs7.PKCS7Options.Binary,
                    pkcs7.PKCS7Options.NoCapabilities,
                ],
            )
        )

    def _sign_externally(self, data: bytes) -> bytes:
        """``qyzmet eds sign-cms`` (CAdES-BES; RSA or GOST-2015/512 as the key file holds)."""
        with tempfile.TemporaryDirectory() as folder:
            data_path, signature_path = Path(folder) / "data", Path(folder) / "signature.der"
            data_path.write_bytes(data)
            completed = subprocess.run(
                [
                    *self.external,
                    "eds",
                    "sign-cms",
                    "--key",
                    str(self.path),
                    "--password",
                    self.password,
                    "--in",
                    str(data_path),
                    "--out",
                    str(signature_path),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if completed.returncode != 0:
                try:
                    reason = json.loads(completed.stdout)
                    message = f"{reason['code']}: {reason['message']}"
                except (ValueError, KeyError):
                    message = (completed.stderr or completed.stdout).strip()
                raise SystemExit(f"{self.path}: the signer refused: {message}")
            return signature_path.read_bytes()


def qyzmet_command(configured: str | None) -> list[str]:
    """How to run qyzmet: as given, else ``qyzmet`` on the PATH, else this Python's module."""
    if configured:
        return shlex.split(configured)
    found = shutil.which("qyzmet")
    return [found] if found else [sys.executable, "-m", "qyzmet.manage"]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def signed_challenge(client: Client, key: KeyFile, purpose: str) -> dict:
    challenge = client.post("/auth/challenges/", {"purpose": purpose})
    payload = base64.b64decode(challenge["payload"])
    return {"challenge": challenge["id"], "signature": b64(key.sign_detached(payload))}


def pdf_document(title: str) -> bytes:
    """A small, well-formed one-page PDF standing in for a scanned document."""
    text = f"BT /F1 14 Tf 72 760 Td ({title}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# --- the route ------------------------------------------------------------------------------


def say(message: str) -> None:
    print(message, flush=True)


def log_in(client: Client, auth_key: KeyFile, portal_password: str) -> dict:
    try:
        answer = client.post("/auth/sign-up/", signed_challenge(client, auth_key, "sign_up"))
        say(f"signed up with the EDS: {answer['user']['login']}")
    except ApiError as error:
        if error.code != "account_exists":
            raise
        answer = client.post("/auth/log-in/eds/", signed_challenge(client, auth_key, "log_in"))
        say(f"account exists; logged in with the EDS: {answer['user']['login']}")
    client.token = answer["token"]
    user = answer["user"]
    if not user["has_portal_password"]:
        client.post("/auth/password/", {"password": portal_password})
        say("portal password set")
    client.post("/auth/log-out/")
    # The person's IIN, and for a representative the BIN of the entity they act for.
    credentials = {"login": user["iin"], "bin": user["bin"] or "", "password": portal_password}
    answer = client.post("/auth/log-in/", credentials)
    client.token = answer["token"]
    say(f"logged in with IIN (+ BIN) + password (token until {answer['expires_at']})")
    return answer["user"]


def apply(client: Client, service: str, sign_key: KeyFile) -> dict:
    passport = client.get(f"/catalog/services/{service}/")
    if not passport["accepts_applications"]:
        raise SystemExit(f"{service} takes no new applications (repealed or not on the portal)")
    say(f"service: {passport['title']} (version {passport['version']})")
    draft = client.post("/applications/", {"service": service, "form_data": {}})
    say(f"draft {draft['id']} created")
    client.request(
        "PUT", f"/applications/{draft['id']}/", json_body={"form_data": SAMPLE_FORMS[service]}
    )
    for document in passport["documents"]:
        if "portal" not in document["channels"] or not document["required"]:
            continue
        if document.get("form", {}).get("portal") == "e_request":
            continue  # carried by the signed request itself (the application, the list of items)
        stored = client.upload(
            f"/applications/{draft['id']}/attachments/",
            {"document_code": document["code"]},
            f"{document['code']}.pdf",
            pdf_document(document["code"]),
        )
        say(f"uploaded {document['code']}: {stored['size']} bytes, sha256 {stored['sha256'][:16]}…")
    to_sign = client.get(f"/applications/{draft['id']}/request-to-sign/")
    signature = sign_key.sign_detached(base64.b64decode(to_sign["content"]))
    say(f"signed the request ({to_sign['length']} bytes, sha256 {to_sign['sha256'][:16]}…)")
    key = {"Idempotency-Key": f"submit-{uuid.uuid4()}"}
    registered = client.post(
        f"/applications/{draft['id']}/submit/", {"signature": b64(signature)}, key
    )
    retried = client.post(
        f"/applications/{draft['id']}/submit/", {"signature": b64(signature)}, key
    )
    if retried["registration_number"] != registered["registration_number"]:
        raise SystemExit("a retried submission registered again: idempotency broken")
    say(f"REGISTERED {registered['registration_number']} (a retry returned the same number)")
    return registered


def follow(client: Client, application_id: str, wait_seconds: int, out: Path | None) -> None:
    deadline = time.monotonic() + wait_seconds
    while True:
        detail = client.get(f"/applications/{application_id}/")
        if detail["result"]["issued"] or time.monotonic() >= deadline:
            break
        time.sleep(2)
    say(f"status: {detail['status']} — {detail['status_text']}; deadline {detail['deadline_at']}")
    for step in detail["timeline"]:
        done = step["completed_at"] or "open"
        say(f"  {step['step']:<9} {step['name']} | started {step['started_at']} | done {done}")
    for reason in detail["refusal_reasons"]:
        say(f"  refusal reason: {reason['text']}")
    if detail["result"]["issued"] and out is not None:
        _, pdf = client.request("GET", f"/applications/{application_id}/result.pdf")
        out.write_bytes(pdf)
        say(f"result saved to {out} ({len(pdf)} bytes)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--auth-key", type=Path, required=True, help="PKCS#12 authentication key")
    parser.add_argument("--sign-key", type=Path, required=True, help="PKCS#12 signing key")
    parser.add_argument("--password", required=True, help="password of the key files")
    parser.add_argument("--portal-password", default="Portal-Pass-2026!")
    parser.add_argument("--service", default="temporary-export", choices=sorted(SAMPLE_FORMS))
    parser.add_argument("--language", default="ru", choices=["ru", "kk", "en"])
    parser.add_argument("--wait-result", type=int, default=0, help="seconds to wait for it")
    parser.add_argument("--out", type=Path, help="where to save the signed result PDF")
    parser.add_argument(
        "--signer",
        default="auto",
        choices=["auto", "cryptography", "qyzmet"],
        help="sign here with cryptography (RSA), or with `qyzmet eds sign-cms` (GOST too)",
    )
    parser.add_argument("--qyzmet-command", help="how to run qyzmet (default: qyzmet on PATH)")
    args = parser.parse_args(argv)

    client = Client(args.base_url, language=args.language)
    command = qyzmet_command(args.qyzmet_command)
    auth_key = KeyFile.load(args.auth_key, args.password, args.signer, command)
    sign_key = KeyFile.load(args.sign_key, args.password, args.signer, command)
    try:
        services = client.get("/catalog/services/")["services"]
        say("services in force: " + ", ".join(s["service"] for s in services))
        log_in(client, auth_key, args.portal_password)
        registered = apply(client, args.service, sign_key)
        mine = client.get("/applications/")["applications"]
        say(f"my applications: {len(mine)}")
        follow(client, registered["id"], args.wait_result, args.out)
    except ApiError as error:
        field = f" (field {error.body['field']})" if error.body.get("field") else ""
        print(f"REFUSED {error.code}: {error.body.get('message')}{field}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
