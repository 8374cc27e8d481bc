"""Checks the billing API against its own OpenAPI document, on a running server.

It starts `eportal serve --demo` on a fresh database (SQLite, or a new PostgreSQL database that
is dropped afterwards), makes a token with every scope by `eportal token create`, lets the demo
customer submit readings through the portal (so the feed and the verdicts have something to
work on), then

1. validates the served `/api/openapi.json` with an OpenAPI 3.1 validator, and
2. runs Schemathesis against the server with the token: generated requests for every operation
   (examples, coverage, fuzzing and stateful phases), checking that no answer is a server error
   and that every answer keeps to the document (status, content type, headers, schema), and
   that the API refuses requests without the token.

Any failure, or a panic in the server's log, exits non-zero.

Usage: python run.py --bin ~/.cache/eportal-target/debug/eportal --db sqlite|postgres
                     [--max-examples N]
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

import requests
from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV31SpecValidator

HERE = Path(__file__).resolve().parent
DEMO_EMAIL = "mojca.kovacic@example.com"
DEMO_PASSWORD = "Brezovica-Voda-2020"
PG_ADMIN_URL = os.environ.get(
    "EPORTAL_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "ignored_auth",
    ]
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", PG_ADMIN_URL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True,
        capture_output=True,
    )


class Server:
    """`eportal serve --demo` on a database of its own."""

    def __init__(self, binary: Path, db: str, tmp: Path) -> None:
        self.binary = binary
        self.tmp = tmp
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.pg_name = None
        self.process = None
        self.log = None
        (tmp / "mail").mkdir()
        if db == "postgres":
            self.pg_name = f"eportal_api_check_{uuid.uuid4().hex[:12]}"
            psql(f'CREATE DATABASE "{self.pg_name}"')
            database_url = urllib.parse.urlparse(PG_ADMIN_URL)._replace(path=f"/{self.pg_name}").geturl()
        else:
            database_url = f"sqlite://{tmp / 'eportal.db'}"
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "EPORTAL_SMTP_URL"},
            "EPORTAL_LISTEN": f"127.0.0.1:{self.port}",
            "EPORTAL_PUBLIC_URL": self.url,
            "EPORTAL_DATABASE_URL": database_url,
            "EPORTAL_MAIL_DIR": str(tmp / "mail"),
            "EPORTAL_TEST_CHEAP_PASSWORD_HASHES": "true",
            # Schemathesis sends thousands of requests a minute with one token.
            "EPORTAL_API_REQUESTS_PER_MINUTE": "1000000",
            "RUST_LOG": "info",
        }
        self.log_path = tmp / "server.log"
        try:
            self.log = open(self.log_path, "wb")
            self.process = subprocess.Popen(
                [binary, "serve", "--demo"], cwd=tmp, env=self.env, stdout=self.log, stderr=self.log
            )
        except BaseException:
            self.stop()  # the database made above goes too
            raise

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server stopped at start:\n{self.log_text()[-20000:]}")
            try:
                if requests.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise SystemExit(f"the server did not become ready:\n{self.log_text()[-20000:]}")

    def log_text(self) -> str:
        """The whole log (a panic early in the run counts too)."""
        if self.log:
            self.log.flush()
        return self.log_path.read_text(errors="replace")

    def token(self) -> str:
        made = subprocess.run(
            [self.binary, "token", "create", "api-check",
             "--scope", "billing:write", "--scope", "readings:read", "--scope", "readings:write"],
            cwd=self.tmp, env=self.env, check=True, capture_output=True, text=True,
        )
        token = made.stdout.strip().splitlines()[0]
        assert token.startswith("ept_"), made.stdout
        return token

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log:
            self.log.close()
        if self.pg_name:
            try:
                psql(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
            except subprocess.CalledProcessError as error:
                print(f"could not drop database {self.pg_name}: {error.stderr}", file=sys.stderr)


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "a form with a CSRF token"
    return found.group(1)


def submit_readings(url: str) -> None:
    """The demo customer submits readings on three days after the meter's last one, correcting
    the last (a replacement)."""
    browser = requests.Session()
    browser.headers["Origin"] = url
    page = browser.get(f"{url}/")
    signed_in = browser.post(
        f"{url}/",
        data={"csrf_token": csrf_token(page.text), "username": DEMO_EMAIL, "password": DEMO_PASSWORD},
    )
    assert signed_in.url.endswith("/home"), f"signed in: {signed_in.status_code} {signed_in.url}"
    form = browser.get(f"{url}/readings/new").text
    meter = re.search(r'name="meter" value="([^"]+)"', form).group(1)
    today = datetime.date.fromisoformat(re.search(r'name="date" type="date" value="([^"]+)"', form).group(1))
    # "621,000 m³ dne 2. 6. 2026": the last reading, in Slovenian format (a no-break space
    # between the number and its unit).
    last = re.search(r"([0-9.]+,[0-9]+)\s*m³\W*dne", form)
    assert last, "the last reading on the form"
    last_m3 = float(last.group(1).replace(".", "").replace(",", "."))
    for days_ago, more in [(2, 1), (1, 2), (0, 3), (0, 3.5)]:
        fields = {
            "csrf_token": csrf_token(form),
            "meter": meter,
            "date": (today - datetime.timedelta(days=days_ago)).isoformat(),
            "value": f"{last_m3 + more:.3f}".replace(".", ","),
            "confirmed": "1",
        }
        answer = browser.post(f"{url}/readings/new", data=fields)
        assert "/readings/submitted/" in answer.url, f"submitted {fields['value']}: {answer.url}\n{answer.text[:3000]}"


def check_document(url: str) -> None:
    document = requests.get(f"{url}/api/openapi.json", timeout=10).json()
    assert document["openapi"].startswith("3.1"), document["openapi"]
    validate(document, cls=OpenAPIV31SpecValidator)
    print(f"  /api/openapi.json: a valid OpenAPI {document['openapi']} document, "
          f"{len(document['paths'])} paths")


def run_schemathesis(url: str, token: str, max_examples: int, report: Path) -> int:
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "hooks",
        "PYTHONPATH": str(HERE),
        "NO_COLOR": "1",
    }
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file", str(HERE / "schemathesis.toml"),
        "run", f"{url}/api/openapi.json",
        "--header", f"Authorization: Bearer {token}",
        "--checks", CHECKS,
        "--max-examples", str(max_examples),
        "--seed", os.environ.get("EPORTAL_API_CHECK_SEED", "20261129"),
        "--workers", "1",
        "--request-timeout", "30",
        "--report", "junit", "--report-dir", str(report),
    ]
    # Run in the temporary folder: Schemathesis and Hypothesis keep caches in the working
    # directory, which would make one seeded run depend on the ones before.
    return subprocess.run(command, env=env, cwd=report.parent).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--max-examples", type=int, default=60)
    args = parser.parse_args()

    binary = Path(args.bin).expanduser().resolve()
    if not binary.is_file():
        raise SystemExit(f"no eportal binary at {binary}")
    # A cancelled CI job sends SIGTERM: clean up as on any other failure.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    tmp = Path(tempfile.mkdtemp(prefix="eportal-api-check-"))
    server = None
    failed = True
    try:
        server = Server(binary, args.db, tmp)
        server.wait_until_ready()
        token = server.token()
        submit_readings(server.url)
        check_document(server.url)
        code = run_schemathesis(server.url, token, args.max_examples, tmp / "report")
        log = server.log_text()
        if "panicked" in log:
            print(f"the server panicked:\n{log[-20000:]}", file=sys.stderr)
            code = code or 1
        failed = code != 0
        return code
    finally:
        if server:
            server.stop()
        if failed:
            print(f"kept for inspection: {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
