"""Submissions per second through the API: each one creates an application, uploads two 1 MB PDFs
and submits. Prints "rate p50_ms p99_ms". Standard library only.

usage: submit.py BASE_URL TOKEN COUNT CLIENTS
"""
import json
import sys
import threading
import time
import urllib.request
import uuid

BASE, TOKEN, COUNT, CLIENTS = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

FORM = {
    "body": "health",
    "applicant": {"role": "owner", "name": "«Бенчмарк» ЖШС", "bin_iin": "971240001315",
                  "legal_address": "Астана", "actual_address": "Астана",
                  "contact": {"name": "Тест", "position": "Директор", "phone": "+7 701 000 00 00", "email": "b@example.kz"}},
    "system": {"name": {"kk": "Жүйе", "ru": "Система"}, "purpose": {"kk": "Мақсат"}, "area": {"kk": "Сала"},
               "functionality": {"kk": "Функция"}, "conditions_of_use": {"kk": "Шарт"},
               "models": {"description": {"kk": "Модель"}, "algorithm_type": "ML", "external_models": False, "embedded_models": True},
               "data": {"categories": {"kk": "Деректер"}, "sources": {"kk": "Көздер"}}},
    "audit": {"auditor": {"kk": "Аудитор"}, "date": "2026-05-14", "conclusions": {"kk": "Сәйкес"}},
    "copyright": {"certificate_number": "1", "certificate_date": "2026-01-20", "author_contract": False},
    "declaration": {"confirmed": True, "signatory": "Тест"},
}
def one_page_pdf(size: int) -> bytes:
    """A valid one-page PDF of about `size` bytes (the server parses uploads before accepting them): the
    page's content stream carries the padding as comments."""
    content = b"BT /F1 12 Tf 72 720 Td (Benchmark report) Tj ET\n" + b"% padding\n" * (size // 10)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PDF = one_page_pdf(1_048_576)  # about 1 MB


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
