"""Crash safety of one database: `senim serve` is killed with SIGKILL at random moments while several
clients create applications, upload PDFs and submit; it is restarted each time. Afterwards nothing the
server acknowledged (a 2xx answer) may be missing or half-written. Standard library only.

usage: crash-check.py BIN PORT KILLS -- DB_ARGS...   (DB_ARGS: --data-dir DIR or --database-url URL)

Checks at the end, on the database as the last SIGKILL left it:
- `senim audit verify` accepts the audit log's hash chain;
- every acknowledged upload is among its application's documents with the same SHA-256, and its bytes,
  downloaded through the applicant's pages, hash to it (byte for byte);
- every acknowledged submission is `submitted` (or later) and its round holds both acknowledged documents;
- every application the server shows as past draft (acknowledged or not) has a round with both documents,
  each downloadable and matching its hash: nothing half-written;
- the reviewer's inclusions and the publisher's editions are killed too: every edition served verifies
  with `senim verify` (every artifact its manifest lists), an acknowledged edition is served with the
  manifest it was acknowledged with and holds every entry whose inclusion was acknowledged before it;
- in the database itself: no document row without its blob, no blob whose content does not match its
  hash, no application past draft without a round; every document row and every first round has its
  audit record, and so has every acknowledged upload and submission.
Prints the figures; exits 1 on any loss.
"""
import atexit
import hashlib
import http.client
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse

BIN, PORT, KILLS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
DB_ARGS = sys.argv[sys.argv.index("--") + 1:]
DB_NAME = ("SQLite" if DB_ARGS[0] == "--data-dir" else "PostgreSQL") + (" self-test" if os.environ.get("CRASH_SELFTEST") == "1" else "")
CLIENTS = 4
EMAIL, PASSWORD = "crash@example.kz", "crash password long enough"
KINDS = ("audit_report", "copyright_certificate")
LOG = open(os.environ.get("CRASH_LOG", "/dev/null"), "ab")

from ci_kit import FORM, text_pdf  # noqa: E402


def fail(msg):
    print(f"FAIL ({DB_NAME}): {msg}", flush=True)
    sys.exit(1)


def unique_pdf(label: str) -> bytes:
    """A valid one-page PDF of 20-200 KB whose padding is random, so every upload is a different blob and a
    wrong or truncated one cannot hash the same."""
    size = random.randint(20_000, 200_000)
    return text_pdf(label, b"".join(b"% " + os.urandom(24).hex().encode() + b"\n" for _ in range(size // 51)))


def request(method, path, body=None, headers=None, timeout=60):
    """One HTTP exchange, no redirects followed: (status, headers, body). Connection errors raise OSError
    or http.client.HTTPException."""
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.headers, r.read()
    finally:
        conn.close()


# ---------------------------------------------------------------- the server and its killer

class Server:
    def __init__(self):
        self.proc = None
        self.kills = 0
        self.lock = threading.Lock()

    def spawn(self):
        self.proc = subprocess.Popen(
            [BIN, "serve", *DB_ARGS, "--listen", f"127.0.0.1:{PORT}", "--rate-upload", "0", "--rate-api-write", "0"],
            stdout=LOG, stderr=LOG)

    def start(self):
        for attempt in range(3):
            self.spawn()
            deadline = time.time() + 60
            while time.time() < deadline and self.proc.poll() is None:
                try:
                    if request("GET", "/readyz", timeout=2)[0] == 200:
                        return
                except (OSError, http.client.HTTPException):
                    pass
                time.sleep(0.05)
            code = self.proc.poll()
            if code is None:
                self.proc.kill()
                self.proc.wait()
            print(f"  the server did not become ready (exit {code}); starting again", flush=True)
            time.sleep(1)
        fail("the server does not start after a crash (its log: CRASH_LOG)")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.kills += 1

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


server = Server()


@atexit.register
def _no_orphan():
    """A failed run must not leave a server holding the port (or the database) behind."""
    if server.proc is not None and server.proc.poll() is None:
        server.proc.kill()
        server.proc.wait()
stop_clients = threading.Event()

# ---------------------------------------------------------------- clients

acked_uploads = []      # (app id, kind, attachment id, sha256, size)
acked_submits = []      # app ids whose submit got a 2xx answer
confirmed_submits = []  # app ids whose submit answer was lost, found submitted on retry (409 + GET)
created = []            # app ids acknowledged at creation
unexpected = []         # answers that are neither 2xx nor a crash's connection error / 5xx
stats = {"requests": 0, "acked": 0, "connection_errors": 0, "5xx": 0}
lock = threading.Lock()


def api(method, path, token, body=None, content_type="application/json", give_up=False):
    """Retries until the server answers something other than a connection error or a 5xx (while it is
    being killed and restarted); returns (status, json). After 180 s: fails, or with give_up returns
    (None, None)."""
    headers = {"Authorization": "Bearer " + token}
    if body is not None:
        headers["Content-Type"] = content_type
    deadline = time.time() + 180
    while time.time() < deadline:
        with lock:
            stats["requests"] += 1
        try:
            status, _, data = request(method, path, body, headers)
        except (OSError, http.client.HTTPException):
            with lock:
                stats["connection_errors"] += 1
            time.sleep(0.1)
            continue
        if status >= 500:
            with lock:
                stats["5xx"] += 1
            time.sleep(0.1)
            continue
        if 200 <= status < 300:
            with lock:
                stats["acked"] += 1
        return status, (json.loads(data) if data else None)
    if give_up:
        return None, None
    fail(f"{method} {path}: no answer for 180 s")


def multipart(kind, pdf):
    b = os.urandom(16).hex()
    head = (f"--{b}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n"
            f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{kind}.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode()
    return head + pdf + f"\r\n--{b}--\r\n".encode(), f"multipart/form-data; boundary={b}"


def client(token, n):
    i = 0
    while not stop_clients.is_set():
        i += 1
        status, app = api("POST", "/api/v1/applications", token, json.dumps(FORM).encode())
        if status != 201 and status != 200:
            with lock:
                unexpected.append(f"create: {status} {app}")
            continue
        app_id = app["id"]
        with lock:
            created.append(app_id)
        ok = True
        for kind in KINDS:
            pdf = unique_pdf(f"client {n} application {i} {kind}")
            body, ct = multipart(kind, pdf)
            status, a = api("POST", f"/api/v1/applications/{app_id}/attachments", token, body, ct)
            if status != 201:
                with lock:
                    unexpected.append(f"upload {app_id} {kind}: {status} {a}")
                ok = False
                break
            sha = hashlib.sha256(pdf).hexdigest()
            if a["sha256"] != sha or a["bytes"] != len(pdf):
                with lock:
                    unexpected.append(f"upload {app_id} {kind}: acknowledged as {a['sha256']} ({a['bytes']} B), sent {sha} ({len(pdf)} B)")
            with lock:
                acked_uploads.append((app_id, kind, a["id"], sha, len(pdf)))
        if not ok:
            continue
        status, r = api("POST", f"/api/v1/applications/{app_id}/submit", token)
        if status == 200:
            with lock:
                acked_submits.append(app_id)
        elif status == 409:
            # The answer to an earlier attempt was lost in a crash, but the submission was committed.
            s, view = api("GET", f"/api/v1/applications/{app_id}", token)
            if s == 200 and view["status"] != "draft":
                with lock:
                    confirmed_submits.append(app_id)
            else:
                with lock:
                    unexpected.append(f"submit {app_id}: 409 {r}, then status {view and view.get('status')}")
        else:
            with lock:
                unexpected.append(f"submit {app_id}: {status} {r}")


included = {}   # app id -> (registry number, time the inclusion was acknowledged)
editions = []   # (edition number, time the publish request was sent)
INCLUDE_AT_MOST, PUBLISH_EVERY = 60, 10
PASS = json.dumps({"checks": {"completeness": {"pass": True}, "copyright": {"pass": True},
                              "audit": {"pass": True}}}).encode()


def staff(reviewer, publisher):
    """The reviewer includes acknowledged submissions (at most INCLUDE_AT_MOST, so that publishing stays
    short enough to finish between kills) and the publisher publishes an edition after every
    PUBLISH_EVERY inclusions: publication (every artifact rendered, signed, stored) is killed too."""
    since_publish = 0
    while not stop_clients.is_set() or since_publish:
        with lock:
            todo = [a for a in acked_submits if a not in included][:1] if len(included) < INCLUDE_AT_MOST else []
        if todo:
            status, r = api("POST", f"/api/v1/applications/{todo[0]}/review", reviewer, PASS, give_up=True)
            if status == 200 and r.get("registry_number"):
                with lock:
                    included[todo[0]] = (r["registry_number"], time.time())
                since_publish += 1
            elif status is not None:
                # 409: the answer to an earlier attempt was lost, the decision committed; the entry counts
                # as not acknowledged.
                with lock:
                    included[todo[0]] = (None, time.time())
                    if status != 409:
                        unexpected.append(f"review {todo[0]}: {status} {r}")
        if since_publish >= PUBLISH_EVERY or (since_publish and (stop_clients.is_set() or not todo)):
            sent = time.time()
            status, m = api("POST", "/api/v1/bodies/health/editions", publisher, give_up=True)
            if status == 201:
                with lock:
                    editions.append((m["manifest"]["edition"], sent, m))
            since_publish = 0
        elif not todo:
            time.sleep(0.2)


# ---------------------------------------------------------------- the database, read directly

def db_query(sql):
    """Rows of a query on the database itself (the server may be down)."""
    if DB_ARGS[0] == "--data-dir":
        con = sqlite3.connect(f"file:{os.path.join(DB_ARGS[1], 'senim.db')}?mode=ro", uri=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()
    out = subprocess.run(["psql", DB_ARGS[1], "-XAt", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return [tuple(line.split("\t")) for line in out.splitlines() if line]


def check_database(problems):
    rows = db_query("SELECT a.id, a.sha256 FROM attachments a LEFT JOIN blobs b ON b.sha256 = a.sha256 WHERE b.sha256 IS NULL")
    for r in rows:
        problems.append(f"document row {r[0]} has no blob {r[1]}")
    rows = db_query("SELECT a.id, a.status FROM applications a WHERE a.status <> 'draft' "
                    "AND NOT EXISTS (SELECT 1 FROM rounds r WHERE r.application_id = a.id)")
    for r in rows:
        problems.append(f"application {r[0]} is {r[1]} without a round")
    # The audit log records each change in the same transaction: every document row and every first
    # round has its record, and nothing acknowledged lacks one.
    documents = {r[0] for r in db_query("SELECT id FROM attachments")}
    recorded = set()
    for (detail,) in db_query("SELECT detail FROM audit_log WHERE action = 'attachment.add'"):
        recorded.add(json.loads(detail)["attachment"])
    for aid in sorted((documents ^ recorded) | ({u[2] for u in acked_uploads} - recorded)):
        problems.append(f"document {aid}: " + ("no document row" if aid not in documents else "no audit record"))
    rounds = {r[0] for r in db_query("SELECT application_id FROM rounds WHERE number = 1")}
    submitted = {r[0] for r in db_query("SELECT object FROM audit_log WHERE action = 'application.submit'")}
    for app_id in sorted((rounds ^ submitted) | (set(acked_submits) - submitted)):
        problems.append(f"submission of {app_id}: " + ("no round" if app_id not in rounds else "no audit record"))
    if DB_ARGS[0] == "--data-dir":
        con = sqlite3.connect(f"file:{os.path.join(DB_ARGS[1], 'senim.db')}?mode=ro", uri=True)
        blobs = 0
        for sha, size, content in con.execute("SELECT sha256, size, content FROM blobs"):
            blobs += 1
            if hashlib.sha256(content).hexdigest() != sha or len(content) != size:
                problems.append(f"blob {sha} does not match its hash or size")
        con.close()
    else:
        for r in db_query("SELECT sha256 FROM blobs WHERE encode(sha256(content), 'hex') <> sha256 OR length(content) <> size"):
            problems.append(f"blob {r[0]} does not match its hash or size")
        blobs = int(db_query("SELECT count(*) FROM blobs")[0][0])
    return blobs


# ---------------------------------------------------------------- self-test

TAMPER = os.environ.get("CRASH_SELFTEST") == "1"


def tamper():
    """Plants two losses in the SQLite database the last kill left (so a check that reports nothing is
    known to be able to report something): one acknowledged document's bytes changed, one acknowledged
    submission undone. Returns the ids the check must name."""
    if DB_ARGS[0] != "--data-dir" or not acked_uploads or not acked_submits:
        fail("self-test: needs SQLite and at least one acknowledged upload and submission")
    sha = acked_uploads[0][3]
    app_id = acked_submits[-1]
    con = sqlite3.connect(os.path.join(DB_ARGS[1], "senim.db"))
    con.execute("UPDATE blobs SET content = zeroblob(size) WHERE sha256 = ?", (sha,))
    con.execute("DELETE FROM rounds WHERE application_id = ?", (app_id,))
    con.execute("UPDATE applications SET status = 'draft' WHERE id = ?", (app_id,))
    con.commit()
    con.close()
    return [acked_uploads[0][2], app_id]


# ---------------------------------------------------------------- run

def main():
    # The applicant, as the bench does it: created and given a token by the CLI.
    subprocess.run([BIN, "admin", "create-user", *DB_ARGS, "--email", EMAIL, "--role", "applicant", "--password-stdin"],
                   input=PASSWORD.encode(), check=True, stdout=subprocess.DEVNULL)
    token = subprocess.run([BIN, "admin", "create-token", *DB_ARGS, "--email", EMAIL],
                           check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    staff_tokens = []
    for role in ("reviewer", "publisher"):
        email = f"{role}@crash.kz"
        subprocess.run([BIN, "admin", "create-user", *DB_ARGS, "--email", email, "--role", role, "--body", "health",
                        "--password-stdin"], input=PASSWORD.encode(), check=True, stdout=subprocess.DEVNULL)
        staff_tokens.append(subprocess.run([BIN, "admin", "create-token", *DB_ARGS, "--email", email],
                                           check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
    server.start()
    threads = [threading.Thread(target=client, args=(token, n), daemon=True) for n in range(CLIENTS)]
    threads.append(threading.Thread(target=staff, args=staff_tokens, daemon=True))
    for t in threads:
        t.start()
    started = time.time()
    startup_kills = 0
    while server.kills < KILLS:
        time.sleep(random.uniform(0.3, 1.5))
        server.kill()
        # One kill in five also hits the next process while it starts (opening the database, migrations,
        # loading state), before it answers anything.
        if server.kills < KILLS and random.random() < 0.2:
            server.spawn()
            time.sleep(random.uniform(0.0, 0.3))
            server.kill()
            startup_kills += 1
        # The log marks each kill, so a line after it belongs to the next process.
        LOG.write(f"\n===== SIGKILL {server.kills} =====\n".encode())
        LOG.flush()
        if server.kills < KILLS:
            server.start()
    # The last kill stays: the clients stop (their requests now fail) and the check reads what it left.
    stop_clients.set()
    # Clients in the middle of a retry loop keep trying: restart so that each finishes its job's step,
    # then kill once more so the database is checked as a crash left it.
    server.start()
    for t in threads:
        t.join(timeout=200)
        if t.is_alive():
            fail("a client did not finish")
    server.kill()
    LOG.write(b"\n===== final SIGKILL =====\n")
    LOG.flush()
    elapsed = time.time() - started

    problems = list(unexpected)
    tampered = tamper() if TAMPER else None
    # The audit chain, as the crash left it.
    r = subprocess.run([BIN, "audit", "verify", *DB_ARGS], capture_output=True, text=True)
    audit_line = (r.stdout.strip().splitlines() or [""])[-1]
    if r.returncode != 0:
        problems.append(f"senim audit verify: {r.stdout.strip()} {r.stderr.strip()}")
    blobs = check_database(problems)

    server.start()
    # Bytes back through the applicant's own pages (the API lists documents with their hashes; the
    # download is a page): sign in for a session cookie.
    status, headers, _ = request("POST", "/signin",
                                 urllib.parse.urlencode({"email": EMAIL, "password": PASSWORD, "next": "/"}).encode(),
                                 {"Content-Type": "application/x-www-form-urlencoded"})
    cookies = "; ".join(c.split(";", 1)[0] for c in headers.get_all("Set-Cookie") or [])
    if status != 303 or not cookies:
        fail(f"signing in for the downloads answered {status} without a session cookie")

    def download(app_id, aid):
        s, _, data = request("GET", f"/applications/{app_id}/attachments/{aid}", headers={"Cookie": cookies})
        return s, data

    s, _, data = request("GET", "/api/v1/applications", headers={"Authorization": "Bearer " + token})
    if s != 200:
        fail(f"GET /api/v1/applications answered {s}")
    views = {v["id"]: v for v in json.loads(data)}

    uploads_verified = 0
    for app_id, kind, aid, sha, size in acked_uploads:
        v = views.get(app_id)
        if v is None:
            problems.append(f"application {app_id} (acknowledged) is gone")
            continue
        current = [a for a in v["attachments"] if a["id"] == aid]
        if not current or current[0]["sha256"] != sha or current[0]["bytes"] != size:
            problems.append(f"upload {aid} ({kind} of {app_id}, acknowledged) is not among its documents as sent")
            continue
        s, data = download(app_id, aid)
        if s != 200 or hashlib.sha256(data).hexdigest() != sha:
            problems.append(f"upload {aid} ({kind} of {app_id}): download answered {s}, {len(data)} bytes, not the bytes sent")
            continue
        uploads_verified += 1

    acked_files = {(u[0], u[1]): u for u in acked_uploads}
    submits_verified = 0
    for app_id in acked_submits + confirmed_submits:
        v = views.get(app_id)
        if v is None or v["status"] == "draft" or not v["rounds"]:
            problems.append(f"submission of {app_id} (acknowledged) is lost: {v and v['status']}")
            continue
        docs = {a["kind"]: a for a in v["rounds"][0]["attachments"]}
        bad = [k for k in KINDS if k not in docs or docs[k]["sha256"] != acked_files.get((app_id, k), (0,) * 4)[3]]
        if bad:
            problems.append(f"submission of {app_id}: its round lacks or changed {bad}")
            continue
        submits_verified += 1

    # Every application the server shows past draft, acknowledged or not: whole, documents and all.
    past_draft = 0
    for app_id, v in views.items():
        if v["status"] == "draft":
            continue
        past_draft += 1
        if not v["rounds"]:
            problems.append(f"{app_id} is {v['status']} without a round")
            continue
        docs = {a["kind"]: a for a in v["rounds"][-1]["attachments"]}
        for k in KINDS:
            if k not in docs:
                problems.append(f"{app_id} is {v['status']} but its round lacks {k}")
                continue
            s, data = download(app_id, docs[k]["id"])
            if s != 200 or hashlib.sha256(data).hexdigest() != docs[k]["sha256"]:
                problems.append(f"{app_id} is {v['status']}: its {k} downloads as {s}, {len(data)} bytes, not its hash")
    # Every edition the server serves (acknowledged or not) verifies with `senim verify` against the keys
    # it publishes, every artifact its manifest lists; an acknowledged edition is served as it was
    # acknowledged and holds every entry whose inclusion was acknowledged before it was asked for.
    s, _, data = request("GET", "/api/v1/bodies/health/editions/current")
    current = json.loads(data)["manifest"]["edition"] if s == 200 else 0
    if editions and current < max(e[0] for e in editions):
        problems.append(f"edition {max(e[0] for e in editions)} was acknowledged but the current one is {current}")
    files_verified = 0
    tmp = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"senim-crash-{os.getpid()}")
    os.makedirs(tmp, exist_ok=True)
    for n in range(1, current + 1):
        s, _, data = request("GET", f"/api/v1/bodies/health/editions/{n}/manifest")
        if s != 200:
            problems.append(f"edition {n}: manifest answered {s}")
            continue
        served = json.loads(data)
        paths = []
        names = [f"{n}.json"] + [a["name"] for a in served["manifest"]["artifacts"] if a["name"] != f"{n}.json"]
        for name in names:
            s, _, body = request("GET", f"/api/v1/bodies/health/editions/{n}/files/{name}")
            if s != 200:
                problems.append(f"edition {n}: {name} answered {s}")
                continue
            path = os.path.join(tmp, name)
            with open(path, "wb") as f:
                f.write(body)
            paths.append(path)
        json_path = os.path.join(tmp, f"{n}.json")
        if json_path not in paths:
            problems.append(f"edition {n}: no {n}.json")
            continue
        r = subprocess.run([BIN, "verify", "--keys", f"http://127.0.0.1:{PORT}", *paths], capture_output=True, text=True)
        if r.returncode != 0:
            problems.append(f"edition {n}: senim verify failed: {(r.stdout + r.stderr).strip()[-400:]}")
        else:
            files_verified += len(paths)
        text = open(json_path, encoding="utf-8").read()
        for number, sent, acked in editions:
            if number != n:
                continue
            if acked != served:
                problems.append(f"edition {n} is served with another manifest than the one acknowledged")
            for app_id, (registry, at) in included.items():
                if registry and at < sent and registry not in text:
                    problems.append(f"edition {n} lacks {registry}, included (acknowledged) before it was asked for")
        for p in paths:
            os.remove(p)
    os.rmdir(tmp)
    server.stop()

    print(f"{DB_NAME}: {server.kills} SIGKILLs survived ({startup_kills} during start-up) in {elapsed:.0f} s ({stats['requests']} requests, "
          f"{stats['acked']} acknowledged, {stats['connection_errors']} connection errors and {stats['5xx']} 5xx retried); "
          f"{len(created)} applications created; uploads acknowledged {len(acked_uploads)}, verified byte for byte "
          f"{uploads_verified}; submissions acknowledged {len(acked_submits)} (+{len(confirmed_submits)} whose answer was "
          f"lost, found submitted), verified {submits_verified}; {past_draft} applications past draft all whole; "
          f"{blobs} blobs checked against their hashes; inclusions acknowledged "
          f"{sum(1 for r, _ in included.values() if r)}, editions acknowledged {len(editions)}, {current} editions "
          f"served and {files_verified} of their files verified by senim verify; {audit_line}", flush=True)
    if TAMPER:
        # The self-test passes only if the check names both planted losses.
        caught = [t for t in tampered if any(t in p for p in problems)]
        if len(caught) != len(tampered):
            fail(f"self-test: planted losses {tampered} but the check reported only {caught}: {problems[:5]}")
        print(f"self-test: a changed document and an undone submission were both caught ({len(problems)} problems reported)")
        return
    if problems:
        print(f"FAIL ({DB_NAME}): {len(problems)} problems:")
        for p in problems[:50]:
            print("  " + p)
        sys.exit(1)
    if server.kills < 10 or not acked_submits or not editions or uploads_verified != len(acked_uploads) \
            or submits_verified != len(acked_submits) + len(confirmed_submits):
        fail("too few kills or nothing acknowledged: the test proved nothing")


main()
