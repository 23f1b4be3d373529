#!/usr/bin/env python3
"""Security properties of a running `senim serve --demo` (behind TLS: SENIM_SECURE_COOKIES=true), checked
from outside with plain HTTP requests (issue 6, item 5):

- every page and API answer of a crawl carries a CSP without 'unsafe-inline' and with frame-ancestors
  'none', X-Content-Type-Options: nosniff and a Referrer-Policy;
- the session cookie is HttpOnly, SameSite=Lax and Secure; signing out revokes the session server-side
  (the old cookie no longer opens the account);
- state-changing requests from another site are refused (Sec-Fetch-Site: cross-site, a foreign Origin);
- passwords are stored as argon2id hashes (read from the SQLite database);
- uploaded documents are served only as downloads with their stored media type;
- sign-in attempts are rate-limited (429 with Retry-After).

Usage: security-check.py BASE_URL DATA_DIR EMAIL PASSWORD. Prints the figures; exits 1 on any failure.
"""

import http.client
import re
import sqlite3
import sys
import urllib.parse

BASE, DATA_DIR, EMAIL, PASSWORD = sys.argv[1:5]
HOST = urllib.parse.urlsplit(BASE)
failures = []
checks = 0


def request(method, path, headers=None, body=None):
    conn = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, r.msg.get_all("set-cookie") or [], data


def check(ok, what):
    global checks
    checks += 1
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def form(fields):
    return urllib.parse.urlencode(fields).encode()


def headers_of_every_answer(paths, cookie=None):
    seen = 0
    for path in paths:
        status, h, _, _ = request("GET", path, {"cookie": cookie} if cookie else {})
        csp = h.get("content-security-policy", "")
        check("unsafe-inline" not in csp and "frame-ancestors 'none'" in csp, f"{path}: CSP {csp!r}")
        check(h.get("x-content-type-options") == "nosniff", f"{path}: X-Content-Type-Options")
        check(bool(h.get("referrer-policy")), f"{path}: Referrer-Policy")
        check(status < 500, f"{path}: {status}")
        seen += 1
    return seen


def links(path, cookie=None, pattern=r'href="(/[^"#?]*)"'):
    _, _, _, body = request("GET", path, {"cookie": cookie} if cookie else {})
    return sorted(set(re.findall(pattern, body.decode("utf-8", "replace"))))


def sign_in():
    status, h, cookies, _ = request(
        "POST", "/signin", {"content-type": "application/x-www-form-urlencoded"}, form({"email": EMAIL, "password": PASSWORD})
    )
    check(status in (302, 303), f"sign-in answered {status}")
    session = [c for c in cookies if c.startswith("senim_session=")]
    check(len(session) == 1, f"one session cookie set: {cookies}")
    return session[0] if session else ""


# 1. Headers on the public pages, the API and the files (a crawl from the home page and a List).
public = ["/", "/lists", "/signin", "/register", "/api/openapi.json", "/api/v1/bodies", "/static/style.css", "/verify"]
public += [p for p in links("/") + links("/bodies/health") if not p.startswith("/signout")]
public = sorted(set(public))[:120]
pages = headers_of_every_answer(public)

# 2. The session cookie, and the applicant's own pages.
raw = sign_in()
attrs = [a.strip().lower() for a in raw.split(";")]
check("httponly" in attrs, f"session cookie HttpOnly: {raw}")
check("samesite=lax" in attrs, f"session cookie SameSite=Lax: {raw}")
check("secure" in attrs, f"session cookie Secure behind TLS: {raw}")
cookie = raw.split(";")[0]
own = [p for p in links("/applications", cookie) if p.startswith("/applications/")][:20]
pages += headers_of_every_answer(["/applications", "/account"] + own, cookie)

# 3. Uploaded documents: downloads only, with the stored media type.
downloads = 0
for app in own:
    for path in links(app, cookie, r'href="(/applications/[^"]+/attachments/[^"]+)"'):
        status, h, _, body = request("GET", path, {"cookie": cookie})
        check(status == 200, f"{path}: {status}")
        check(h.get("content-disposition", "").startswith("attachment"), f"{path}: Content-Disposition {h.get('content-disposition')}")
        check(h.get("content-type", "").startswith("application/pdf") and body.startswith(b"%PDF"), f"{path}: {h.get('content-type')}")
        check(h.get("x-content-type-options") == "nosniff", f"{path}: nosniff")
        downloads += 1
check(downloads > 0, "the demo applicant's documents were found and downloaded")

# 4. Cross-site state changes are refused, with the session cookie attached.
for extra in ({"sec-fetch-site": "cross-site"}, {"origin": "https://evil.example"}):
    status, _, _, _ = request(
        "POST", "/applications", {"cookie": cookie, "content-type": "application/x-www-form-urlencoded", **extra}, form({"body": "health"})
    )
    check(status == 403, f"cross-site POST with {extra} answered {status}, not 403")

# 5. Signing out revokes the session on the server: the old cookie opens nothing.
status, _, _, _ = request("POST", "/signout", {"cookie": cookie, "content-type": "application/x-www-form-urlencoded"}, b"")
check(status in (302, 303), f"sign-out answered {status}")
status, h, _, _ = request("GET", "/applications", {"cookie": cookie})
check(status in (302, 303, 401) and "/signin" in h.get("location", "/signin"), f"the old cookie still opens /applications ({status})")

# 6. Passwords at rest: argon2id.
db = sqlite3.connect(f"file:{DATA_DIR}/senim.db?mode=ro", uri=True)
hashes = [h for (h,) in db.execute("SELECT password_hash FROM users WHERE password_hash IS NOT NULL")]
check(len(hashes) > 0 and all(h.startswith("$argon2id$") for h in hashes), "every password hash is argon2id")

# 7. Rate limit on sign-in.
limited = None
for i in range(60):
    status, h, _, _ = request("POST", "/signin", {"content-type": "application/x-www-form-urlencoded"}, form({"email": EMAIL, "password": "wrong password"}))
    if status == 429:
        limited = (i + 1, h.get("retry-after"))
        break
check(limited is not None and limited[1], f"sign-in attempts are limited with Retry-After: {limited}")

print(
    f"security: {pages} answers with CSP/nosniff/Referrer-Policy, session cookie HttpOnly+SameSite=Lax+Secure, "
    f"2 cross-site posts refused, sign-out revokes, {len(hashes)} argon2id hashes, {downloads} documents served as "
    f"downloads, sign-in limited after {limited[0] if limited else '-'} attempts; {checks} checks, {len(failures)} failed"
)
sys.exit(1 if failures else 0)
