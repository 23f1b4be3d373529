"""Submissions per second through the API: each one creates an application, uploads two 1 MB PDFs
and submits. Prints "rate p50_ms p99_ms". Standard library only.

usage: submit.py BASE_URL TOKEN COUNT CLIENTS
"""
import json
import pathlib
import sys
import threading
import time
import urllib.request
import uuid

BASE, TOKEN, COUNT, CLIENTS = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / ".ci"))
from ci_kit import FORM, text_pdf  # noqa: E402

# About 1 MB: the page's content stream carries the padding as comments.
PDF = text_pdf("Benchmark report", b"% padding\n" * (1_048_576 // 10))


def call(method, path, body=None, content_type="application/json"):
    req = urllib.request.Request(BASE + path, data=body, method=method)
    req.add_header("Authorization", "Bearer " + TOKEN)
    if body is not None:
        req.add_header("Content-Type", content_type)
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read() or b"null")


def multipart(kind):
    b = uuid.uuid4().hex
    head = (f"--{b}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n"
            f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{kind}.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode()
    return head + PDF + f"\r\n--{b}--\r\n".encode(), f"multipart/form-data; boundary={b}"


latencies, lock, errors = [], threading.Lock(), []
remaining = [COUNT]


def client():
    while True:
        with lock:
            if remaining[0] == 0:
                return
            remaining[0] -= 1
        t0 = time.perf_counter()
        try:
            app = call("POST", "/api/v1/applications", json.dumps(FORM).encode())
            for kind in ("audit_report", "copyright_certificate"):
                body, ct = multipart(kind)
                call("POST", f"/api/v1/applications/{app['id']}/attachments", body, ct)
            call("POST", f"/api/v1/applications/{app['id']}/submit")
        except Exception as e:  # counted and reported: a failed submission must not look fast
            errors.append(repr(e))
            continue
        with lock:
            latencies.append((time.perf_counter() - t0) * 1000)


start = time.perf_counter()
threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - start
if errors:
    sys.exit(f"{len(errors)} submissions failed, e.g. {errors[0]}")
latencies.sort()
pct = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))]
print(f"{len(latencies) / elapsed:.1f} {pct(0.5):.0f} {pct(0.99):.0f}")
