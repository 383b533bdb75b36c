"""The eGov mobile app's side of QR signing, for the demo and the tests: a phone simulator.

It does over real HTTP what the app does after scanning ``mobileSign:<API1 URL>``: GETs API1,
GETs API2 (the ``documentsToSign``), signs each document's bytes as a detached CMS with a
key file (``qyzmet.eds.signing.sign_detached``; whatever key kinds that signs) and PUTs the
same structure back with the signatures in place of the data. It prints one JSON line per
HTTP exchange and exits 0 when the PUT was accepted, 1 when our server refused a step, 2 for
bad input or an unreachable server.

It can misbehave on request, for tests of the server's refusals: sign other bytes
(``--alter-bytes``), send another document id (``--document-id``), PUT twice (``--replay``),
or hold the PUT until a file appears (``--put-after FILE``: the test expires the QR first).
A "foreign" signer is simply another person's ``--key``.

    qyzmet egov-mobile-simulator --qr "mobileSign:http://…/mobile-sign/<token>/" \
        --key var/pki/people/abenova/sign.p12 --password PASSWORD
"""

from __future__ import annotations

import base64
import json
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

QR_PREFIX = "mobileSign:"


class SimulatorError(Exception):
    """Bad input or an unreachable server (exit code 2)."""


@dataclass
class Exchange:
    step: str
    method: str
    url: str
    status: int
    body: dict

    def line(self) -> str:
        return json.dumps(
            {
                "step": self.step,
                "method": self.method,
                "url": self.url,
                "status": self.status,
                "body": self.body,
            },
            ensure_ascii=False,
        )


def _http(method: str, url: str, body: bytes | None, timeout: float, language: str):
    if not url.startswith(("http://", "https://")):
        raise SimulatorError(f"not an HTTP(S) URL: {url!r}")
    request = urllib.request.Request(url, data=body, method=method)  # noqa: S310
    request.add_header("Accept", "application/json")
    request.add_header("Accept-Language", language)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, OSError) as error:
        raise SimulatorError(f"{method} {url}: {error}") from error


def _json(data: bytes) -> dict:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {"raw": data[:200].decode("latin-1")}
    return value if isinstance(value, dict) else {"value": value}


class Phone:
    def __init__(
        self,
        key: bytes,
        password: str,
        *,
        alter_bytes: bool = False,
        document_id: str | None = None,
        replay: bool = False,
        put_after: Path | None = None,
        timeout: float = 60.0,
        language: str = "ru",
        out=None,
    ) -> None:
        self.key, self.password = key, password
        self.alter_bytes, self.document_id, self.replay = alter_bytes, document_id, replay
        self.put_after, self.timeout, self.language = put_after, timeout, language
        self.out = out or sys.stdout
        self.exchanges: list[Exchange] = []

    def _call(self, step: str, method: str, url: str, body: dict | None = None) -> Exchange:
        payload = None if body is None else json.dumps(body).encode("utf-8")
        status, data = _http(method, url, payload, self.timeout, self.language)
        exchange = Exchange(step, method, url, status, _json(data))
        self.exchanges.append(exchange)
        print(exchange.line(), file=self.out, flush=True)
        return exchange

    def sign(self, data: bytes) -> bytes:
        from qyzmet.eds.signing import sign_detached

        if self.alter_bytes:
            data = data[:-1] + bytes([data[-1] ^ 0x01]) if data else b"\x00"
        return sign_detached(data, self.key, self.password)

    def _wait_for_go(self) -> None:
        if self.put_after is None:
            return
        deadline = time.monotonic() + self.timeout
        while not self.put_after.exists():
            if time.monotonic() > deadline:
                raise SimulatorError(f"{self.put_after} did not appear in {self.timeout} s")
            time.sleep(0.05)

    def scan(self, qr: str) -> bool:
        """The whole exchange; True when the server accepted the signature."""
        if not qr.startswith(QR_PREFIX):
            raise SimulatorError(f"not an eGov mobile QR text (want {QR_PREFIX}<url>): {qr!r}")
        first = self._call("api1", "GET", qr[len(QR_PREFIX) :])
        if first.status != 200:
            return False
        document = first.body.get("document") or {}
        if document.get("auth_type", "None") != "None":
            raise SimulatorError(f"auth_type {document.get('auth_type')!r} is not simulated")
        uri = document.get("uri")
        if not uri:
            raise SimulatorError("API1 names no document URI")
        second = self._call("api2", "GET", uri)
        if second.status != 200:
            return False
        answer = dict(second.body)
        signed = []
        for item in answer.get("documentsToSign", []):
            data = base64.b64decode(item["document"]["file"]["data"])
            signature = base64.b64encode(self.sign(data)).decode("ascii")
            file = {**item["document"]["file"], "data": signature}
            signed.append(
                {
                    **item,
                    "id": self.document_id if self.document_id is not None else item["id"],
                    "document": {**item["document"], "file": file},
                }
            )
        answer["documentsToSign"] = signed
        self._wait_for_go()
        put = self._call("put", "PUT", uri, answer)
        if self.replay:
            put = self._call("replay", "PUT", uri, answer)
        return put.status == 200


def run(argv: list[str] | None = None, out=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="qyzmet egov-mobile-simulator", description=__doc__)
    add_arguments(parser)
    return run_with(vars(parser.parse_args(argv)), out=out)


def add_arguments(parser) -> None:
    parser.add_argument("--qr", required=True, help='the QR text, "mobileSign:<API1 URL>"')
    parser.add_argument("--key", required=True, help="the signer's key file (PKCS#12)")
    parser.add_argument("--password", required=True, help="the key file's password")
    parser.add_argument("--alter-bytes", action="store_true", help="sign other bytes")
    parser.add_argument("--document-id", default=None, help="send this document id back")
    parser.add_argument("--replay", action="store_true", help="PUT the signed answer twice")
    parser.add_argument("--put-after", default=None, help="hold the PUT until this file exists")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per HTTP call")
    parser.add_argument("--language", default="ru", choices=("ru", "kk", "en"))


def run_with(options: dict, out=None) -> int:
    out = out or sys.stdout
    try:
        phone = Phone(
            Path(options["key"]).read_bytes(),
            options["password"],
            alter_bytes=options.get("alter_bytes", False),
            document_id=options.get("document_id"),
            replay=options.get("replay", False),
            put_after=Path(options["put_after"]) if options.get("put_after") else None,
            timeout=float(options.get("timeout") or 60.0),
            language=options.get("language") or "ru",
            out=out,
        )
        return 0 if phone.scan(options["qr"]) else 1
    except OSError as error:
        print(json.dumps({"error": str(error)}), file=out)
        return 2
    except SimulatorError as error:
        print(json.dumps({"error": str(error)}, ensure_ascii=False), file=out)
        return 2
    except Exception as error:  # a key file it cannot sign with (EdsError) and the like
        print(
            json.dumps({"error": f"{type(error).__name__}: {error}"}, ensure_ascii=False), file=out
        )
        return 2


if __name__ == "__main__":
    sys.exit(run())
