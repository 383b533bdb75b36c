"""Long-term validity of a result (issue 10): what issuing adds after the head's CMS arrives.

Three figures per signed document, each on its own (``docs/performance.md``):

* **TSA round trip** — ``pades.stamp``: the RFC 3161 request over the SignerInfo's
  signature, HTTP to the demo TSA (``qyzmet.demo.tsa_responder`` on its own HTTP server in a
  child process, as ``make run`` serves it from the web server: the TSA's signing is not on
  this process's clock), the token's verification (chain, purpose, policy, nonce, imprint)
  and the unsigned attribute added to the CMS;
* **DSS embedding** — ``eds.ltv.material_for`` (the paths of the head's and the TSA's
  certificates, an OCSP answer from the demo responder — another child process — for each
  end certificate, the roots' CRLs from the files) and ``pades.add_dss`` (pyHanko's
  incremental update);
* **document time-stamp** — ``pades.add_document_timestamp`` (B-LTA: the whole PDF hashed
  with the head's digest — Streebog-512 for a GOST head, SHA-256 for RSA — a second TSA
  round trip, the token written into its placeholder);
* **re-stamp** — ``pades.renew``, what the scheduled renewal does per document before the
  newest time-stamp's TSA certificate expires: the OCSP/CRL evidence of that TSA's path
  added to the DSS, and a new document time-stamp over the whole file.

Wall time (``time.perf_counter``; the round trips wait for the other process) and this
process's CPU time (``time.process_time``). The head signs with the demo PKI's GOST-2015/512
key (``--rsa``: the legacy RSA kit), so the GOST unit of the TSA answers (Streebog imprint).

Run:
    taskset -c 1 .venv/bin/python bench/result_long_term.py [--documents 100] [--rsa]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import result_pdf  # noqa: E402  (this folder's sibling benchmark: set-up helpers)


def _serve(kind: str, directory: str, ready) -> None:
    sys.path.insert(0, str(result_pdf.ROOT / "src"))
    from qyzmet.demo.http_server import OCSP_TYPES, TSA_TYPES, http_server
    from qyzmet.demo.pki import load_demo_pki

    pki = load_demo_pki(directory)
    if kind == "tsa":
        server = http_server(pki.tsa_responder(), TSA_TYPES)
    else:
        server = http_server(pki.ocsp_responder(), OCSP_TYPES)
    ready.put(server.server_address[1])
    server.serve_forever()


def _start(kind: str, directory: Path) -> tuple[multiprocessing.Process, str]:
    ready = multiprocessing.Queue()
    process = multiprocessing.Process(
        target=_serve, args=(kind, str(directory), ready), daemon=True
    )
    process.start()
    return process, f"http://127.0.0.1:{ready.get(timeout=60)}/"


def _measure(decision, head, count: int) -> dict[str, list[float]]:
    from asn1crypto import cms as asn1_cms
    from django.db import transaction

    from qyzmet.results import actions, pades
    from qyzmet.results.models import ResultDocument

    timings: dict[str, list[float]] = {
        key: []
        for key in (
            *("tsa wall", "tsa cpu", "dss wall", "dss cpu", "lta wall", "lta cpu"),
            *("renew wall", "renew cpu"),
        )
    }
    for _ in range(count):
        with transaction.atomic():
            covered = actions.prepare_document(decision)
        document = ResultDocument.objects.get(decision=decision)
        prepared = pades.PreparedPdf(
            bytes(document.prepared_pdf), document.region_start, document.region_end
        )
        cms = head.sign(covered)  # the browser's work: not timed

        cpu, wall = time.process_time(), time.perf_counter()
        stamped, token = pades.stamp(cms)
        timings["tsa cpu"].append(time.process_time() - cpu)
        timings["tsa wall"].append(time.perf_counter() - wall)

        embedded = pades.embed(prepared, stamped)
        cpu, wall = time.process_time(), time.perf_counter()
        with_dss = pades.add_dss(embedded, actions.long_term_material(stamped, token))
        timings["dss cpu"].append(time.process_time() - cpu)
        timings["dss wall"].append(time.perf_counter() - wall)

        cpu, wall = time.process_time(), time.perf_counter()
        signed, _ = pades.add_document_timestamp(
            with_dss,
            hash_algorithm=pades.archive_digest(
                asn1_cms.ContentInfo.load(stamped)["content"]["signer_infos"][0]
            ),
        )
        timings["lta cpu"].append(time.process_time() - cpu)
        timings["lta wall"].append(time.perf_counter() - wall)

        cpu, wall = time.process_time(), time.perf_counter()
        renewed, _ = pades.renew(signed)
        timings["renew cpu"].append(time.process_time() - cpu)
        timings["renew wall"].append(time.perf_counter() - wall)
    assert pades.validate(signed, trust_roots=head.trust_roots).code == "valid"
    check = pades.validate(renewed, trust_roots=head.trust_roots)
    assert check.code == "valid" and len(check.archive_stamps) == 2
    timings["size"] = [len(embedded), len(signed), len(renewed)]
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=100, help="documents per kind")
    parser.add_argument("--rsa", action="store_true", help="the head's legacy RSA kit")
    options = parser.parse_args()
    core = sorted(os.sched_getaffinity(0))[0]
    with tempfile.TemporaryDirectory(prefix="qyzmet-bench-lt-") as folder:
        result_pdf._setup_django(Path(folder))
        head = result_pdf.HeadKey(Path(folder) / "pki")
        if options.rsa:
            from qyzmet.demo.pki import load_demo_pki
            from qyzmet.eds.signing import load_signing_key

            person = load_demo_pki(Path(folder) / "pki").person("zhumabaev-rsa")
            p12 = (Path(folder) / "pki" / person["sign_p12"]).read_bytes()
            head.key, head.certificate, head.chain = load_signing_key(p12, person["password"])
        tsa_process, tsa_url = _start("tsa", Path(folder) / "pki")
        ocsp_process, ocsp_url = _start("ocsp", Path(folder) / "pki")
        os.sched_setaffinity(0, {core})  # the servers may run on the other cores

        from django.conf import settings

        from qyzmet.demo.pki import CA_CRL_FILES

        pki = Path(folder) / "pki"
        settings.QYZMET_EDS_TRUST_ANCHORS_DIR = pki / "ca"
        settings.QYZMET_EDS_CRL_FILES = tuple(str(pki / name) for name in CA_CRL_FILES)
        settings.QYZMET_EDS_OCSP_URL = ocsp_url
        settings.QYZMET_TSA_URL = tsa_url
        decisions = result_pdf._decisions(head)
        chosen = {
            name: decisions[name]
            for name in ("certificate, 1 item, 1 photo", "certificate, 40 items, 40 photos")
        }
        for decision in chosen.values():
            _measure(decision, head, 2)  # warm-up
        print(
            f"long-term validity after the head's CMS ({'RSA' if options.rsa else 'GOST'} head), "
            f"client pinned to core {core}, {options.documents} documents per kind"
        )
        header = (
            f"{'document':33} {'KB':>9} {'TSA wall':>9} {'TSA cpu':>8} "
            f"{'DSS wall':>9} {'DSS cpu':>8} {'B-LTA wall':>10} {'B-LTA cpu':>9} "
            f"{'re-stamp wall':>13} {'re-stamp cpu':>12}"
        )
        print(header)
        print("-" * len(header))
        for name, decision in chosen.items():
            t = _measure(decision, head, options.documents)
            med = {
                key: statistics.median(values) * 1e3 for key, values in t.items() if key != "size"
            }
            print(
                f"{name:33} {t['size'][0] // 1024:4}→{t['size'][1] // 1024}→"
                f"{t['size'][2] // 1024:<4} "
                f"{med['tsa wall']:7.1f}ms {med['tsa cpu']:6.1f}ms "
                f"{med['dss wall']:7.1f}ms {med['dss cpu']:6.1f}ms "
                f"{med['lta wall']:8.1f}ms {med['lta cpu']:7.1f}ms "
                f"{med['renew wall']:11.1f}ms {med['renew cpu']:10.1f}ms"
            )
        tsa_process.terminate()
        ocsp_process.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
