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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import full_pull  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/khv_strategy"
PULL_REPORTS = []  # the full-pull table of each scale (bench/full_pull.py)


def log(message):
    print(message, file=sys.stderr, flush=True)


def database_url(scale):
    config = dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    auth = config["USER"] or "postgres"
    if config["PASSWORD"]:
        auth += f":{config['PASSWORD']}"
    host = config["HOST"] or "127.0.0.1"
    port = config["PORT"] or 5432
    # BENCH_DATABASE: another name than khv_bench_s<N> (a session's own data, or a copy).
    prefix = os.environ.get("BENCH_DATABASE", "khv_bench_s")
    return f"postgres://{auth}@{host}:{port}/{prefix}{scale}"


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
    """wrk on one URL; `headers` are "Name: value" strings, or wrk options (``--script``)."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    command += ["--timeout", "30s"]
    for header in headers:
        command += [header] if header.startswith("--") else ["-H", header]
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
def flush_cache(url):
    """Each scale starts with an empty cache: its database numbers its rows from 1 as the
    other scale's does, so a dashboard cached for one must never be read for the other."""
    import redis

    redis.Redis.from_url(url).flushdb()


def auth_headers(prepared, auth):
    return {
        "session": [f"Cookie: {prepared['cookie']}"],
        "token": [f"Authorization: Token {prepared['token']}"],
        "none": [],
    }[auth]


def lua_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def round_robin_script(prepared, targets, path):
    """A wrk script that sends the targets' requests in turn, each with its own headers."""
    lines = ["local requests = {}"]
    for number, target in enumerate(targets, 1):
        headers = ", ".join(
            f"[{lua_string(name)}] = {lua_string(value)}"
            for name, value in (h.split(": ", 1) for h in auth_headers(prepared, target["auth"]))
        )
        lines.append(
            f'requests[{number}] = wrk.format("GET", {lua_string(target["path"])}, {{{headers}}})'
        )
    lines += [
        "local counter = 0",
        "request = function()",
        "  counter = counter + 1",
        "  return requests[(counter % #requests) + 1]",
        "end",
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def bench_scale(scale, args, base_env, workdir):
    env = {**base_env, "DATABASE_URL": database_url(scale)}
    prepare_database(scale, args.seed, env)
    flush_cache(env["REDIS_URL"])
    prepared_file = workdir / f"prepared-s{scale}.json"
    run([PYTHON, "bench/prepare.py", str(prepared_file), str(args.seed)], env)
    prepared = json.loads(prepared_file.read_text())
    targets = [
        target
        for target in prepared["targets"]
        if not args.only or re.search(args.only, f"{target['name']} {target['path']}")
    ]
    port = free_port()
    rows = []
    with open(workdir / f"gunicorn-s{scale}.log", "w") as log_file:
        server = start_server(env, port, log_file)
        try:
            for target in targets:
                row = {**target, "scale": scale}
                rows.append(row)
                headers = auth_headers(prepared, target["auth"])
                url = f"http://127.0.0.1:{port}{target['path']}"
                for _ in range(4):  # both workers: templates compiled, connections open
                    get(url, headers)
                log(f"scale {scale}: loading {target['path']} for {args.duration} s")
                row.update(load(url, headers, args.duration, args.connections, args.threads))
                if not wait_until_idle(port):
                    log(f"scale {scale}: the server is still busy after {target['path']}")
            if args.mixed:
                portal = [target for target in targets if target["kind"] != "baseline"]
                script = round_robin_script(prepared, portal, workdir / f"mixed-s{scale}.lua")
                log(f"scale {scale}: every URL in turn for {args.mixed} s")
                row = {
                    "name": "every URL in turn",
                    "path": f"{len(portal)} URLs",
                    "auth": "mixed",
                    "kind": "mixed",
                    "status": "–",
                    "queries": None,
                    "cold_queries": None,
                    "scale": scale,
                }
                row.update(
                    load(
                        f"http://127.0.0.1:{port}/",
                        [f"--script={script}"],
                        args.mixed,
                        args.connections,
                        args.threads,
                    )
                )
                rows.append(row)
                wait_until_idle(port)
            log(f"scale {scale}: the full pull of indicator values and the cursor pages")
            # The export's own SELECT as bench/prepare.py's administrator is served it.
            statements = full_pull.export_statements(env, "bench-administrator")
            pulled = full_pull.measure(
                port, prepared["token"], env["DATABASE_URL"], env["REDIS_URL"], statements
            )
            PULL_REPORTS.append(full_pull.report(pulled, scale))
        finally:
            stop_server(server)
    return rows


# --- report ------------------------------------------------------------------------------------
def fmt(value, pattern="{:.1f}"):
    return "–" if value is None else pattern.format(value)


def ratio_to_baseline(row, named):
    """URL req/s ÷ its baseline's: API URLs against `.values()`, the rest against bare JSON."""
    name = "baseline: .values()" if row["kind"] == "api" else "baseline: bare JSON"
    baseline = named.get(name, {}).get("rps")
    if row["kind"] in {"baseline", "mixed"} or not baseline or not row.get("rps"):
        return None, name
    return row["rps"] / baseline, name


def table(rows, header):
    by_scale = {}
    for row in rows:
        by_scale.setdefault(row["scale"], {})[row["name"]] = row
    lines = [header, ""]
    for scale, named in by_scale.items():
        lines += [
            f"### Scale {scale}",
            "",
            "| URL | status | req/s | p50 ms | p99 ms | errors | queries (cold) "
            "| × baseline req/s |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for row in named.values():
            ratio, baseline = ratio_to_baseline(row, named)
            ratio = "–" if ratio is None else f"{ratio:.2f} ({baseline.split(': ')[1]})"
            errors = row["errors"] + row["non_2xx"]
            queries = "–" if row["queries"] is None else f"{row['queries']} ({row['cold_queries']})"
            lines.append(
                f"| `{row['path']}` ({row['name']}) | {row['status']} | {fmt(row['rps'])} | "
                f"{fmt(row['p50'])} | {fmt(row['p99'])} | {errors} | {queries} | {ratio} |"
            )
        lines.append("")
    lines += targets(by_scale)
    lines.append(
        "Errors = socket errors (timeouts included) + 4xx/5xx responses. Queries: one request "
        "with the test client on an empty cache (cold), then the next one, as under load. "
        "Ratios: URL req/s ÷ baseline req/s in the same run; API URLs against the `.values()` "
        "baseline, pages against the bare JSON baseline."
    )
    return "\n".join(lines) + "\n"


def targets(by_scale):
    """Issue 8's targets, each with the figures that decide it."""
    lines = ["### Targets", ""]

    def check(ok, text):
        lines.append(f"- {'✅' if ok else '❌'} {text}")

    scales = sorted(by_scale)
    high = scales[-1]
    named = by_scale[high]
    api = [row for row in named.values() if row["kind"] == "api" and "series" not in row["name"]]
    ratios = [ratio_to_baseline(row, named)[0] for row in api]
    if ratios and None not in ratios:
        worst = min(zip(ratios, api, strict=True), key=lambda pair: pair[0])
        check(
            worst[0] >= 0.6,
            f"every API list ≥ 0.6 × the `.values()` baseline at scale {high}: lowest "
            f"{worst[0]:.2f} ({worst[1]['path']}), of {len(api)} lists",
        )
    home = {scale: by_scale[scale].get("home dashboard", {}).get("rps") for scale in scales}
    if len(scales) > 1 and home[scales[0]] and home[high]:
        growth = home[high] / home[scales[0]]
        check(
            growth >= 0.8,
            f"home dashboard at scale {high} ÷ scale {scales[0]}: {growth:.2f} (≥ 0.8)",
        )
    if home[high] and named.get("baseline: bare JSON", {}).get("rps"):
        share = home[high] / named["baseline: bare JSON"]["rps"]
        check(share >= 0.05, f"home dashboard ÷ bare JSON at scale {high}: {share:.3f} (≥ 0.05)")
    public = [row for row in named.values() if row["kind"] == "public"]
    bare = named.get("baseline: bare JSON", {}).get("rps")
    if public and bare:
        lowest = min(public, key=lambda row: row["rps"] or 0)
        share = (lowest["rps"] or 0) / bare
        check(
            share >= 0.5,
            f"public pages ÷ bare JSON at scale {high}: lowest {share:.2f} ({lowest['path']}), "
            "≥ 0.5",
        )
    if len(scales) > 1:
        differing = [
            name
            for name, row in named.items()
            if row["queries"] is not None
            and (low := by_scale[scales[0]].get(name))
            and (low["queries"], low["cold_queries"]) != (row["queries"], row["cold_queries"])
        ]
        check(
            not differing,
            "queries per request identical at every scale"
            + (f"; differ: {', '.join(differing)}" if differing else ""),
        )
    errors = sum(
        row["errors"] + row["non_2xx"] for scale in scales for row in by_scale[scale].values()
    )
    mixed = [by_scale[scale].get("every URL in turn") for scale in scales]
    seconds = ", ".join(
        f"{row['requests']} requests in the mixed run at scale {row['scale']}"
        for row in mixed
        if row
    )
    check(errors == 0, f"zero errors under load: {errors}" + (f" ({seconds})" if seconds else ""))
    lines.append("")
    return lines


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default=os.environ.get("SCALES", "1 10"))
    parser.add_argument("--duration", type=int, default=int(os.environ.get("DURATION", "10")))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("SEED", "1")))
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--mixed",
        type=int,
        default=int(os.environ.get("MIXED", "60")),
        help="seconds of load on every URL in turn after the single URLs (0: none)",
    )
    parser.add_argument(
        "--only", help="load only the URLs whose name or path matches this regular expression"
    )
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
        # Production shares one Redis between its workers; the bench uses a database of the
        # machine's Redis that the tests (15) and development (0) do not.
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1"),
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
    report = table(rows, header) + "\n" + "\n".join(PULL_REPORTS)
    print(report)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(report)
    (RESULTS / "latest.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2))
    log(f"written to {RESULTS / 'latest.md'}")


if __name__ == "__main__":
    main()
