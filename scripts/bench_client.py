#!/usr/bin/env python3
"""A customer's browser for scripts/bench, standard library only.

  bench_client.py sign-in BASE_URL USERNAME PASSWORD
      signs in as a browser does (the sign-in page for its session and CSRF token, then the
      form) and prints the Cookie header value of the signed-in session
  bench_client.py storm BASE_URL USERNAME PASSWORD CLIENTS SECONDS
      CLIENTS browsers sign in again and again for SECONDS (each time with a new session, as a
      new visitor would); prints "sign_ins=N per_second=R failures=F"
"""

import http.cookiejar
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(base, username, password):
    """Returns the cookie jar of a signed-in session; raises if the sign-in fails."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    with opener.open(base + "/", timeout=60) as page:
        match = TOKEN.search(page.read().decode())
    if not match:
        raise RuntimeError("the sign-in page has no CSRF token")
    form = urllib.parse.urlencode(
        {"csrf_token": match.group(1), "username": username, "password": password}
    ).encode()
    request = urllib.request.Request(base + "/", data=form, headers={"Origin": base})
    try:
        opener.open(request, timeout=60)
        raise RuntimeError("the sign-in answered without a redirect (wrong password?)")
    except urllib.error.HTTPError as answer:
        if answer.code != 303 or answer.headers.get("Location") != "/home":
            raise RuntimeError(f"the sign-in answered {answer.code} {answer.headers.get('Location')}")
    return jar


def cookie_header(jar):
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def storm(base, username, password, clients, seconds):
    deadline = time.monotonic() + seconds
    counts = {"ok": 0, "failed": 0}
    lock = threading.Lock()

    def client():
        while time.monotonic() < deadline:
            try:
                sign_in(base, username, password)
                outcome = "ok"
            except Exception:  # noqa: BLE001 - every failure counts the same here
                outcome = "failed"
            with lock:
                counts[outcome] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.monotonic() - started
    print(f"sign_ins={counts['ok']} per_second={counts['ok'] / took:.1f} failures={counts['failed']}")


def main(argv):
    if len(argv) == 5 and argv[1] == "sign-in":
        print(cookie_header(sign_in(argv[2].rstrip("/"), argv[3], argv[4])))
    elif len(argv) == 7 and argv[1] == "storm":
        storm(argv[2].rstrip("/"), argv[3], argv[4], int(argv[5]), float(argv[6]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
