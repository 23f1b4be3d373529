"""Issue 16, findings 1 and 2, measured from outside: hostile PDFs against a real `senim serve` (SQLite).

Phase A plays an older release that accepted every file (SENIM_PDF_WORKER set to a stand-in that
accepts): applications are submitted whose audit reports are a form XObject that draws itself, an object
stream inflating 2 MB to 2 GiB, a content stream inflating 1 MB to 1 GiB and a cross-reference stream
inflating to 1.25 GiB. Phase B runs this release on the same database: the same files are uploaded again
(each must be refused with its code, two bombs at once among them), and a reviewer opens each stored case
(the cross-check must answer "unreadable"). Throughout, /healthz must answer and the server's resident
memory (VmRSS, sampled every 10 ms) may rise at most 300 MB above its level before the first hostile
request (the budget of issue 16; the workers are other processes and are not counted against it).

usage: python3 .ci/pdf-fault-check.py BIN PORT        Python standard library only.
"""
import http.client
import json
import os
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zlib

from ci_kit import FORM, pdf_file

BIN, PORT = sys.argv[1], int(sys.argv[2])
BUDGET_MB = 300
PASSWORD = "pdf fault check password"


RUNNING = []  # servers to stop whatever happens


def fail(msg):
    print(f"FAIL: pdf fault check: {msg}", flush=True)
    for p in RUNNING:
        p.kill()
    sys.exit(1)


def request(method, path, body=None, headers=None, timeout=120):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def api(method, path, token, body=None, content_type="application/json"):
    headers = {"Authorization": "Bearer " + token}
    if body is not None:
        headers["Content-Type"] = content_type
    status, data = request(method, path, body, headers)
    try:
        return status, json.loads(data) if data else None
    except ValueError:
        return status, data


# ---------------------------------------------------------------- the files

def stream(dict_, data):
    return b"<< " + dict_ + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def deflate_repeated(byte, n):
    c = zlib.compressobj(9)
    chunk = byte * (1 << 20)
    return b"".join(c.compress(chunk) for _ in range(n >> 20)) + c.flush()


PAGE_TAIL = [b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", b"<< /Type /Catalog /Pages 1 0 R >>"]


def one_page(contents_ref, resources=b""):
    return (b"<< /Type /Page /Parent 1 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << %s >> >>"
            % (contents_ref, resources))


def normal():
    return pdf_file([PAGE_TAIL[0], PAGE_TAIL[1], one_page(4), stream(b"", b"BT /F1 12 Tf 72 720 Td (ok) Tj ET")], root=2)


def self_drawing():
    form = stream(b"/Type /XObject /Subtype /Form /BBox [0 0 9 9] /Resources << /XObject << /X1 5 0 R >> >>",
                  b"/X1 Do")
    return pdf_file([PAGE_TAIL[0], PAGE_TAIL[1], one_page(4, b"/XObject << /X1 5 0 R >>"), stream(b"", b"/X1 Do"), form], root=2)


def object_stream_bomb():
    bomb = stream(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", deflate_repeated(b"\0", 2 << 30))
    return pdf_file([PAGE_TAIL[0], PAGE_TAIL[1], one_page(4), stream(b"", b""), bomb], root=2)


def content_stream_bomb():
    content = stream(b"/Filter /FlateDecode", deflate_repeated(b" ", 1 << 30))
    return pdf_file([PAGE_TAIL[0], PAGE_TAIL[1], one_page(4), content], root=2)


def xref_stream_bomb():
    data = deflate_repeated(b"\0", 5 << 28)
    body = b"%PDF-1.7\n"
    at = len(body)
    body += b"1 0 obj\n" + stream(b"/Type /XRef /Size 2 /W [1 4 2] /Filter /FlateDecode", data) + b"\nendobj\n"
    return body + b"startxref\n%d\n%%%%EOF\n" % at


def multipart(kind, data, filename):
    b = os.urandom(16).hex()
    head = (f"--{b}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n"
            f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode()
    return head + data + f"\r\n--{b}--\r\n".encode(), f"multipart/form-data; boundary={b}"


# ---------------------------------------------------------------- the server

class Server:
    def __init__(self, data_dir, env):
        self.proc = subprocess.Popen([BIN, "serve", "--data-dir", data_dir, "--listen", f"127.0.0.1:{PORT}"],
                                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        RUNNING.append(self.proc)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if request("GET", "/readyz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        fail("the server did not become ready")

    def rss_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def new_application(token, report, report_name="report.pdf"):
    status, app = api("POST", "/api/v1/applications", token, json.dumps(FORM).encode())
    if status != 201:
        fail(f"creating an application: {status} {app}")
    results = []
    for kind, data, name in (("audit_report", report, report_name), ("copyright_certificate", normal(), "cert.pdf")):
        body, ct = multipart(kind, data, name)
        results.append(api("POST", f"/api/v1/applications/{app['id']}/attachments", token, body, ct))
    return app["id"], results


def main():
    work = tempfile.mkdtemp(prefix="senim-pdf-fault-")
    data_dir = os.path.join(work, "data")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENIM_")}
    tokens = {}
    for email, role, body in (("applicant@fault.kz", "applicant", None), ("reviewer@fault.kz", "reviewer", "health")):
        args = [BIN, "admin", "create-user", "--data-dir", data_dir, "--email", email, "--role", role, "--password-stdin"]
        subprocess.run(args + (["--body", body] if body else []), input=PASSWORD.encode(), check=True,
                       stdout=subprocess.DEVNULL, env=env)
        tokens[role] = subprocess.run([BIN, "admin", "create-token", "--data-dir", data_dir, "--email", email],
                                      check=True, capture_output=True, text=True, env=env).stdout.strip().splitlines()[-1]
    files = {
        "a form XObject that draws itself": (self_drawing(), "upload.too_complex"),
        "an object stream of 2 GiB": (object_stream_bomb(), "upload.too_complex"),
        "a content stream of 1 GiB": (content_stream_bomb(), "upload.too_complex"),
        "a cross-reference stream of 1.25 GiB": (xref_stream_bomb(), None),
    }
    for name, (data, _) in files.items():
        print(f"pdf fault check: {name}: {len(data) / 1e6:.1f} MB uploaded", flush=True)

    # Phase A: an older release that accepted them.
    accept = os.path.join(work, "accept-everything")
    with open(accept, "w") as f:
        f.write("#!/bin/sh\ncat >/dev/null\nprintf '{\"answer\":\"accepted\",\"pages\":1}'\n")
    os.chmod(accept, stat.S_IRWXU)
    old = Server(data_dir, {**env, "SENIM_PDF_WORKER": accept})
    stored = {}
    for name, (data, _) in files.items():
        app_id, results = new_application(tokens["applicant"], data)
        if any(s != 201 for s, _ in results):
            fail(f"the stand-in release refused {name}: {results}")
        status, r = api("POST", f"/api/v1/applications/{app_id}/submit", tokens["applicant"])
        if status != 200:
            fail(f"submitting {name}: {status} {r}")
        stored[name] = app_id
    old.stop()

    # Phase B: this release.
    server = Server(data_dir, env)
    app_id, results = new_application(tokens["applicant"], normal())
    if any(s != 201 for s, _ in results):
        fail(f"an ordinary report was refused: {results}")
    time.sleep(1)
    baseline = server.rss_mb()
    peak = [baseline]
    sampling = threading.Event()

    def sample():
        while not sampling.is_set():
            try:
                peak[0] = max(peak[0], server.rss_mb())
            except OSError:
                return
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    checks = 0
    started = time.time()
    for name, (data, code) in files.items():
        _, results = new_application(tokens["applicant"], data)
        status, problem = results[0]
        got = problem["errors"][0]["code"] if isinstance(problem, dict) and problem.get("errors") else None
        if status != 422 or (code and got != code) or (not code and got not in ("upload.too_complex", "upload.malformed")):
            fail(f"{name}: expected 422 {code or 'too_complex/malformed'}, got {status} {problem}")
        checks += 1
    # Two bombs at once.
    both = []
    threads = [threading.Thread(target=lambda: both.append(new_application(tokens["applicant"], files["an object stream of 2 GiB"][0])[1][0][0]))
               for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if both != [422, 422]:
        fail(f"two bombs at once: {both}")
    checks += 2
    # The cases stored by the older release open, as unreadable.
    for name, app_id in stored.items():
        status, check = api("GET", f"/api/v1/applications/{app_id}/audit-check", tokens["reviewer"])
        # lopdf gives up on the cross-reference stream at the worker's memory limit and finds no pages.
        allowed = ("unreadable", "read") if "cross-reference" in name else ("unreadable",)
        if status != 200 or check.get("state") not in allowed or check.get("report", "no_text") != "no_text":
            fail(f"opening the case with {name}: {status} {check}")
        if request("GET", "/healthz", timeout=5)[0] != 200:
            fail("/healthz stopped answering")
        checks += 1
    elapsed = time.time() - started
    sampling.set()
    sampler.join()
    server.stop()
    rise = peak[0] - baseline
    print(f"pdf fault check: {checks} hostile requests in {elapsed:.1f} s; server RSS {baseline:.0f} MB before, "
          f"{peak[0]:.0f} MB at most (+{rise:.0f} MB; budget {BUDGET_MB} MB); /healthz answered throughout", flush=True)
    if rise > BUDGET_MB:
        fail(f"the server grew by {rise:.0f} MB")


try:
    main()
finally:
    for p in RUNNING:
        if p.poll() is None:
            p.kill()
