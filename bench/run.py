#!/usr/bin/env python
"""make bench (first part): gunicorn under the production settings on a throwaway PostgreSQL and
Redis, loaded by wrk from a separate process, only on 127.0.0.1, bounded in time.

    bash scripts/with_postgres.sh .venv/bin/python bench/run.py [--workers 2] [--seconds 10]

Scenarios so far: the two reference endpoints (bare Django view = the read limit; one INSERT = the
write limit), the anonymous pages (home, article list, an article, consultation list) and a
consultation's results page. Each reports requests/s, p50, p99 and errors, with its ratio to the
limit measured in the same run; the table goes to bench/results/latest.{json,md}. Any 5xx or
socket error makes the run fail.

Not yet here (issue 8): the 50,000-member / 1M-ballot seed, the logged-in article, vote POSTs, the
registration burst and the KLA dashboard."""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def sh(*args, env, **kwargs):
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def wait_http(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer")


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def wrk(url, *, seconds, connections, threads=2):
    out = subprocess.run(["wrk", "--latency", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
                          url], capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)\s*$", out, re.M))
    if set(latency) != {"50", "99"}:
        raise SystemExit(f"could not read wrk's output for {url}:\n{out}")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": ms(latency["50"]), "p99_ms": ms(latency["99"]),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": (sum(map(int, errors.groups())) if errors else 0) + (int(non2xx.group(1)) if non2xx else 0),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", 2)))
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Run it on PostgreSQL: bash scripts/with_postgres.sh .venv/bin/python bench/run.py")
    for tool in ("wrk", "redis-server"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is not installed: apt-get install {tool}")

    work = Path(tempfile.mkdtemp(prefix="forumanak-bench."))
    port = 18000 + secrets.randbelow(900)
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "forumanak.settings.bench",
           "SECRET_KEY": "bench-" + secrets.token_urlsafe(60), "ALLOWED_HOSTS": "127.0.0.1,localhost",
           "SITE_URL": base, "FORUM_VAR_DIR": str(work / "var"), "STATIC_ROOT": str(work / "static"),
           "MEDIA_ROOT": str(work / "media"), "PRIVATE_MEDIA_ROOT": str(work / "private"),
           "REDIS_URL": f"unix://{work}/redis.sock", "DATABASE_CONN_MAX_AGE": "60", "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    (work / "var").mkdir()
    procs = []
    try:
        procs.append(subprocess.Popen(["redis-server", "--port", "0", "--unixsocket", str(work / "redis.sock"),
                                       "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL))
        started = time.monotonic()
        for command in (["migrate", "--no-input", "-v0"], ["compile_translations"], ["collectstatic", "--no-input", "-v0"],
                        ["load_regions"], ["setup_roles"], ["seed_demo"]):
            sh(PY, "manage.py", *command, env=env, stdout=subprocess.DEVNULL)
        seed_seconds = time.monotonic() - started
        procs.append(subprocess.Popen([shutil.which("gunicorn") or str(Path(PY).parent / "gunicorn"), "forumanak.wsgi",
                                       "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
                                       "--access-logfile", "/dev/null"],
                                      env={**env, "DJANGO_SETTINGS_MODULE": "forumanak.settings.bench"}, cwd=ROOT,
                                      stdout=subprocess.DEVNULL, stderr=open(work / "gunicorn.log", "w")))
        wait_http(base + "/bench/bare/")
        article = subprocess.run(
            [PY, "manage.py", "shell", "-c", "from cms.models import ArticlePage; "
             "print(ArticlePage.objects.live().filter(locale__language_code='id').first().url)"],
            env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        results_slug = "sekolah-ramah-anak"  # the demo's closed consultation
        scenarios = [
            ("bare Django view (read limit)", "/bench/bare/", None),
            ("one INSERT (write limit)", "/bench/insert/", None),
            ("home, anonymous", "/", "bare"),
            ("article list, anonymous", "/artikel/", "bare"),
            ("an article, anonymous", article, "bare"),
            ("consultation list, anonymous", "/konsultasi/", "bare"),
            ("consultation results page", f"/konsultasi/{results_slug}/hasil/", "bare"),
        ]
        for _name, path, _limit in scenarios:  # warm each page (and the page cache) once
            urllib.request.urlopen(base + path, timeout=30).read()
        rows = []
        for name, path, limit in scenarios:
            figures = wrk(base + path, seconds=args.seconds, connections=args.connections)
            rows.append({"scenario": name, "path": path, **figures, "limit": limit})
            print(f"{name:38} {figures['rps']:9.1f} req/s  p50 {figures['p50_ms']:7.2f} ms  "
                  f"p99 {figures['p99_ms']:7.2f} ms  errors {figures['errors']}", flush=True)
        limits = {"bare": rows[0]["rps"], "insert": rows[1]["rps"]}
        for row in rows:
            row["ratio"] = round(row["rps"] / limits[row["limit"]], 3) if row["limit"] else 1.0
        sizes = {}
        for path in ("/", article):
            html = urllib.request.urlopen(base + path, timeout=30).read()
            css = sum(len(urllib.request.urlopen(base + href, timeout=30).read())
                      for href in re.findall(rb'href="(/static/[^"]+\.css)"', html) for href in [href.decode()])
            sizes[path] = len(html) + css
    finally:
        for proc in reversed(procs):
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        gunicorn_log = (work / "gunicorn.log").read_text() if (work / "gunicorn.log").exists() else ""
        shutil.rmtree(work, ignore_errors=True)

    invariants = {"no errors or 5xx": all(row["errors"] == 0 for row in rows)}
    report = {"workers": args.workers, "seconds": args.seconds, "connections": args.connections,
              "cpus": os.cpu_count(), "seed_seconds": round(seed_seconds, 1), "scenarios": rows,
              "first_load_bytes_html_css": sizes, "invariants": invariants}
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(report, indent=2))
    lines = ["| scenario | req/s | ratio to limit | p50 ms | p99 ms | errors |", "|---|---|---|---|---|---|"]
    for row in rows:
        ratio = f"{row['ratio']:.0%} of {row['limit']}" if row["limit"] else "the limit"
        lines.append(f"| {row['scenario']} | {row['rps']:.1f} | {ratio} | {row['p50_ms']:.2f} | {row['p99_ms']:.2f} | {row['errors']} |")
    lines += ["", f"gunicorn workers: {args.workers}; wrk {args.connections} connections, {args.seconds} s each; "
              f"{os.cpu_count()} CPUs.", "",
              "First load, HTML + CSS bytes: " + ", ".join(f"`{p}` {n:,}" for p, n in sizes.items()), "",
              "Invariants: " + ", ".join(f"{k}: {'ok' if v else 'BROKEN'}" for k, v in invariants.items())]
    (out / "latest.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    if not all(invariants.values()):
        print(gunicorn_log[-3000:], file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
