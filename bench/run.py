"""Load test of the portal under production settings, at one or more data scales.

For each scale N: the database khv_bench_s{N} (same server as DATABASE_URL) is created,
migrated and filled with ``generate_data --scale N`` (skipped when the plans are there); the
static files are collected once into a temporary STATIC_ROOT; bench/prepare.py creates the
bench administrator, a session and an API token and counts each URL's SQL queries with the
test client; then gunicorn (2 sync workers, bench.settings = production + two baseline views)
serves on a loopback port and ``wrk`` loads each URL in turn. Results: a table on stdout and in
bench/results/latest.md (+ latest.json).

    .venv/bin/python bench/run.py [--scales "1 10"] [--duration 10] [--seed 1]
    make bench SCALES="1 10" DURATION=60;  make bench-quick   (scale 1, 5 s per URL)

Requests/s and latencies are only comparable between runs on the same machine under the same
load; the baselines in the same run are what each URL should be read against.
"""

import argparse
import datetime
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import dj_database_url

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/khv_strategy"


def log(message):
    print(message, file=sys.stderr, flush=True)


def database_url(scale):
    config = dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    auth = config["USER"] or "postgres"
    if config["PASSWORD"]:
        auth += f":{config['PASSWORD']}"
    host = config["HOST"] or "127.0.0.1"
    port = config["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/khv_bench_s{scale}"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command, env):
    # Progress goes to stderr, so stdout carries only the table.
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=sys.stderr)


def prepare_database(scale, seed, env):
    run([PYTHON, "bin/ensure_database.py"], env)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    started = time.perf_counter()
    # Idempotent: plans already generated for the seed are skipped (their titles are the marker).
    run([PYTHON, "manage.py", "generate_data", "--scale", str(scale), "--seed", str(seed)], env)
    log(f"scale {scale}: data ready in {time.perf_counter() - started:.1f} s")


# --- wrk ---------------------------------------------------------------------------------------
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def to_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def parse_wrk(output):
    result = {"rps": None, "p50": None, "p99": None, "requests": 0, "errors": 0, "non_2xx": 0}
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result["rps"] = float(match.group(1))
    for percent, key in (("50", "p50"), ("99", "p99")):
        if match := re.search(rf"^\s+{percent}%\s+(\S+)", output, re.MULTILINE):
            result[key] = to_ms(match.group(1))
    if match := re.search(r"(\d+) requests in", output):
        result["requests"] = int(match.group(1))
    if not result["requests"]:  # wrk prints zeros when no request finished in the window
        result["rps"] = result["p50"] = result["p99"] = None
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        result["errors"] = sum(int(group) for group in match.groups())
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        result["non_2xx"] = int(match.group(1))
    return result


def load(url, headers, duration, connections, threads):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    command += ["--timeout", "30s"]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


# --- gunicorn ----------------------------------------------------------------------------------
def start_server(env, port, log_file):
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        "khv_strategy.wsgi:application",
        "--workers", "2",
        "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}",
        "--backlog", "2048",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log_file, stderr=log_file)
    for _ in range(60):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}; see {log_file.name}")
        time.sleep(0.5)
    stop_server(server)
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def get(url, headers=(), timeout=60):
    request = urllib.request.Request(url, headers=dict(h.split(": ", 1) for h in headers))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            answer.read()
    except urllib.error.HTTPError:
        pass  # a 3xx/4xx still warms the worker up


def wait_until_idle(port, timeout=300):
    """When wrk stops, the requests it left queued are still served; wait until they are.

    A probe answered fast twice in a row cannot have waited behind queued requests.
    """
    deadline = time.monotonic() + timeout
    fast = 0
    while time.monotonic() < deadline and fast < 2:
        started = time.perf_counter()
        get(f"http://127.0.0.1:{port}/healthz", timeout=timeout)
        fast = fast + 1 if time.perf_counter() - started < 0.1 else 0
    return fast >= 2


def stop_server(server):
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# --- one scale ---------------------------------------------------------------------------------
def bench_scale(scale, args, base_env, workdir):
    env = {**base_env, "DATABASE_URL": database_url(scale)}
    prepare_database(scale, args.seed, env)
    prepared_file = workdir / f"prepared-s{scale}.json"
    run([PYTHON, "bench/prepare.py", str(prepared_file), str(args.seed)], env)
    prepared = json.loads(prepared_file.read_text())
    port = free_port()
    rows = []
    with open(workdir / f"gunicorn-s{scale}.log", "w") as log_file:
        server = start_server(env, port, log_file)
        try:
            for target in prepared["targets"]:
                row = {**target, "scale": scale}
                rows.append(row)
                if target["status"] == 404:
                    row["note"] = "404: feature not merged yet, skipped"
                    log(f"scale {scale}: {target['path']} answers 404, skipped")
                    continue
                headers = {
                    "session": [f"Cookie: {prepared['cookie']}"],
                    "token": [f"Authorization: Token {prepared['token']}"],
                    "none": [],
                }[target["auth"]]
                url = f"http://127.0.0.1:{port}{target['path']}"
                for _ in range(4):  # both workers: templates compiled, connections open
                    get(url, headers)
                log(f"scale {scale}: loading {target['path']} for {args.duration} s")
                row.update(load(url, headers, args.duration, args.connections, args.threads))
                if not wait_until_idle(port):
                    log(f"scale {scale}: the server is still busy after {target['path']}")
        finally:
            stop_server(server)
    return rows


# --- report ------------------------------------------------------------------------------------
def fmt(value, pattern="{:.1f}"):
    return "–" if value is None else pattern.format(value)


def table(rows, header):
    by_scale = {}
    for row in rows:
        by_scale.setdefault(row["scale"], {})[row["name"]] = row
    lines = [header, ""]
    for scale, named in by_scale.items():
        bare = named.get("baseline: bare JSON", {}).get("rps")
        values = named.get("baseline: .values()", {}).get("rps")
        lines += [
            f"### Scale {scale}",
            "",
            "| URL | status | req/s | p50 ms | p99 ms | errors | queries | × baseline time |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for row in named.values():
            if row.get("note"):
                lines.append(f"| `{row['path']}` | {row['status']} | {row['note']} | | | | | |")
                continue
            ratio = "–"
            baseline, label = (values, ".values()") if row["kind"] == "api" else (bare, "JSON")
            if row["kind"] != "baseline" and baseline and row["rps"]:
                ratio = f"{baseline / row['rps']:.1f} ({label})"
            elif row["name"] == "baseline: .values()" and bare and row["rps"]:
                ratio = f"{bare / row['rps']:.1f} (JSON)"
            errors = row["errors"] + row["non_2xx"]
            lines.append(
                f"| `{row['path']}` ({row['name']}) | {row['status']} | {fmt(row['rps'])} | "
                f"{fmt(row['p50'])} | {fmt(row['p99'])} | {errors} | {row['queries']} | {ratio} |"
            )
        lines.append("")
    scales = sorted(by_scale)
    if len(scales) > 1:
        low, high = scales[0], scales[-1]
        home_low = by_scale[low].get("home dashboard", {})
        home_high = by_scale[high].get("home dashboard", {})
        if home_low.get("rps") and home_high.get("rps"):
            lines.append(
                f"Home dashboard, scale {high} vs scale {low}: requests/s ratio "
                f"{home_high['rps'] / home_low['rps']:.2f}, p50 ratio "
                f"{home_high['p50'] / home_low['p50']:.2f}"
            )
            lines.append("")
    lines.append(
        "Errors = socket errors + 4xx/5xx responses. Queries: one request with the test client "
        "after a warm-up, not under load. Ratios: baseline req/s ÷ URL req/s; API URLs against "
        "the `.values()` baseline, pages against the bare JSON baseline."
    )
    return "\n".join(lines) + "\n"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default=os.environ.get("SCALES", "1 10"))
    parser.add_argument("--duration", type=int, default=int(os.environ.get("DURATION", "10")))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("SEED", "1")))
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    return parser.parse_args()


def main():
    args = parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (make bench does it)")
    scales = [int(scale) for scale in args.scales.replace(",", " ").split()]
    workdir = Path(tempfile.mkdtemp(prefix="khv-bench-"))
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_DEBUG": "0",
        "DJANGO_API_RATE_CLIENT": "1000000/minute",
        "DJANGO_API_RATE_ANONYMOUS": "1000000/minute",
        "DJANGO_LOG_FORMAT": "json",
        "BENCH_STATIC_ROOT": str(workdir / "static"),
    }
    try:
        log("collecting static files (manifest storage needs them)")
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], base_env)
        rows = []
        for scale in scales:
            rows += bench_scale(scale, args, base_env, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    stamp = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    load_average = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    header = (
        f"## Bench {stamp}: wrk -t{args.threads} -c{args.connections} -d{args.duration}s, "
        f"gunicorn 2 sync workers, production settings, seed {args.seed}, {os.cpu_count()} CPUs "
        f"(load average at the end {load_average})"
    )
    report = table(rows, header)
    print(report)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(report)
    (RESULTS / "latest.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2))
    log(f"written to {RESULTS / 'latest.md'}")


if __name__ == "__main__":
    main()
