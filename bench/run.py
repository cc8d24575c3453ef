#!/usr/bin/env python
"""make bench: gunicorn under the production settings (forumanak.settings.bench: production plus
two reference endpoints) on a throwaway PostgreSQL and Redis, loaded from separate processes (wrk,
and bench/burst.py for the registration burst), only on 127.0.0.1, bounded in time and count.

    bash scripts/with_postgres.sh .venv/bin/python bench/run.py [--workers 2] [--seconds 10]

1. migrate, load_regions, setup_roles, seed_demo, then bench/seed.py writes the large data set in
   bulk (50,000 members, 200 events, 50 consultations one of them closed with 1,000,000 ballots and
   its results snapshot, 30 articles) and the sessions of the logged-in scenarios;
2. scenarios, each with requests/s, p50, p99 and errors, and its ratio to the limit measured in the
   same run: the bare Django view (read limit), the one-INSERT view (write limit), anonymous home,
   article list, an article and the consultation list, the same article signed in, the results page
   of the 1M-ballot consultation, vote POSTs (each by a different member), a burst of 1,000
   registrations for a 100-seat event, and the KLA dashboard for a pembina; two reference rows
   without a target: the one INSERT as a signed-in form POST, and the same burst against the bare
   view;
3. the first load of the public pages (HTML + CSS + images, bytes);
4. the invariants, read from the database after the load (bench/invariants.py): seats held <=
   capacity, ballots = participations, no 5xx or socket error. A broken invariant exits non-zero.
   Targets missed are reported in the table, not an error.

Output: bench/results/latest.json and latest.md."""

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


def wrk(url, *, seconds, connections, threads=2, headers=(), script=None, script_args=()):
    command = ["wrk", "--latency", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", str(script)]
    command += [url, *(["--", *script_args] if script_args else [])]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
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
        "statuses": statuses(out),
    }


def statuses(wrk_output):
    """The status counts that bench/rotate.lua prints (STATUS 2xx=… 3xx=…), or None."""
    line = re.search(r"^STATUS (.*)$", wrk_output, re.M)
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line.group(1))} if line else None




def fetch(url, headers=None, timeout=60):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read()


def first_load(base, path, media_root):
    """Bytes a phone (360 px wide, 2x) fetches on a first visit: the HTML, its stylesheets and
    scripts, and every image on the page (lazy ones too, so an upper bound), uncompressed. For a
    <picture>, the WebP candidate of at least 720 px (or the largest); media files are read from
    MEDIA_ROOT (the reverse proxy serves them in production)."""
    _status, html = fetch(base + path)
    text = html.decode()
    parts = {"html": len(html), "css": 0, "js": 0, "images": 0}
    assets = set(re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', text))
    scripts = set(re.findall(r'<script[^>]+src="([^"]+)"', text))
    images = set()
    for picture in re.findall(r"<picture>(.*?)</picture>", text, re.S):
        srcset = re.search(r'<source type="image/webp" srcset="([^"]+)"', picture)
        candidates = sorted((int(w), u) for u, w in re.findall(r"(\S+) (\d+)w", srcset.group(1))) if srcset else []
        if candidates:
            images.add(next((u for w, u in candidates if w >= 720), candidates[-1][1]))
    text_without_pictures = re.sub(r"<picture>.*?</picture>", "", text, flags=re.S)
    images |= set(re.findall(r'<img[^>]+src="([^"]+)"', text_without_pictures))

    def size(url):
        url = url.replace("&amp;", "&")
        if url.startswith("/media/"):
            return (Path(media_root) / urllib.request.unquote(url[len("/media/"):])).stat().st_size
        return len(fetch(url if url.startswith("http") else base + url)[1])

    parts["css"] = sum(size(u) for u in assets)
    parts["js"] = sum(size(u) for u in scripts)
    parts["images"] = sum(size(u) for u in images)
    return {**parts, "total": sum(parts.values()), "image_count": len(images)}


def manage(env, *args):
    return subprocess.run([PY, "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout


TARGETS = {
    # scenario key: (description, check(row, rows))
    "anonymous": ("≥ 60% of bare", lambda r: r["ratio"] >= 0.60),
    "signed_in_article": ("≥ 10% of bare", lambda r: r["ratio"] >= 0.10),
    "vote": ("≥ 50% of INSERT, p99 < 100 ms", lambda r: r["ratio"] >= 0.50 and r["p99_ms"] < 100),
    "burst": ("0 oversell, 0 5xx, p99 < 1 s", lambda r: r["oversold"] == 0 and r["errors"] == 0 and r["p99_ms"] < 1000),
    "results": ("p99 < 50 ms", lambda r: r["p99_ms"] < 50),
    "dashboard": ("< 1 s (p99)", lambda r: r["p99_ms"] < 1000),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", 2)))
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=0,
                        help="wrk connections (default: 2 per worker, enough to keep every worker busy)")
    args = parser.parse_args()
    args.connections = args.connections or 2 * args.workers
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
           "REDIS_URL": f"unix://{work}/redis.sock", "PAGE_CACHE_REDIS_URL": f"unix://{work}/redis-pages.sock",
           "DATABASE_CONN_MAX_AGE": "60",
           "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    (work / "var").mkdir()
    procs, rows, sizes, timings = [], [], {}, {}
    started = time.monotonic()
    try:
        try:
            procs.append(subprocess.Popen(["redis-server", "--port", "0", "--unixsocket", str(work / "redis.sock"),
                                           "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL))
            # the page cache's own instance, as docs/deploy.md sets it up
            procs.append(subprocess.Popen(["redis-server", "--port", "0", "--unixsocket", str(work / "redis-pages.sock"),
                                           "--save", "", "--appendonly", "no", "--maxmemory", "256mb",
                                           "--maxmemory-policy", "allkeys-lru"], stdout=subprocess.DEVNULL))
            for command in (["migrate", "--no-input", "-v0"], ["compile_translations"], ["collectstatic", "--no-input", "-v0"],
                            ["load_regions"], ["setup_roles"], ["seed_demo"]):
                t0 = time.monotonic()
                with open(work / "setup.log", "a") as log:
                    sh(PY, "manage.py", *command, env=env, stdout=log, stderr=log)
                timings[command[0]] = round(time.monotonic() - t0, 1)
                print(f"{' '.join(command)}: {timings[command[0]]} s", flush=True)
            t0 = time.monotonic()
            with open(work / "setup.log", "a") as log:
                sh(PY, "bench/seed.py", str(work / "fixtures.json"), env=env, stderr=log)
            timings["bench/seed.py"] = round(time.monotonic() - t0, 1)
            fixtures = json.loads((work / "fixtures.json").read_text())
            for name in ("voters", "registrants"):
                (work / f"{name}.txt").write_text("\n".join(fixtures[name]) + "\n")
            seed_seconds = time.monotonic() - started

            procs.append(subprocess.Popen([shutil.which("gunicorn") or str(Path(PY).parent / "gunicorn"), "forumanak.wsgi",
                                           "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
                                           "--access-logfile", "/dev/null"],
                                          env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                          stderr=open(work / "gunicorn.log", "w")))
            wait_http(base + "/bench/bare/")
            reader = f"Cookie: sessionid={fixtures['reader']}"
            pembina = f"Cookie: sessionid={fixtures['pembina']}"
            article = fixtures["article"]
            read_scenarios = [
                ("bare Django view (read limit)", "/bench/bare/", None, (), None),
                ("one INSERT (write limit)", "/bench/insert/", None, (), None),
                ("home, anonymous", "/", "bare", (), "anonymous"),
                ("article list, anonymous", "/artikel/", "bare", (), "anonymous"),
                ("an article, anonymous", article, "bare", (), "anonymous"),
                ("consultation list, anonymous", "/konsultasi/", "bare", (), "anonymous"),
                ("the same article, signed in", article, "bare", (reader,), "signed_in_article"),
                ("results, 1M-ballot consultation", fixtures["results"]["path"], "bare", (), "results"),
            ]
            for _name, path, _limit, headers, _target in read_scenarios:  # warm each page (and the page cache)
                status, body = fetch(base + path, dict(h.split(": ", 1) for h in headers))
                assert status == 200 and (not headers or b"sessionid" not in body), path
            for name, path, limit, headers, target in read_scenarios:
                figures = wrk(base + path, seconds=args.seconds, connections=args.connections, headers=headers)
                rows.append({"scenario": name, "path": path, **figures, "limit": limit, "target": target})
                report_line(rows[-1])

            figures = wrk(base + fixtures["vote"]["path"], seconds=args.seconds, connections=args.connections,
                          script=ROOT / "bench" / "rotate.lua",
                          script_args=[str(work / "voters.txt"), "2", fixtures["vote"]["body"], fixtures["csrf"]])
            rows.append({"scenario": "vote POST, a different member each", "path": fixtures["vote"]["path"], **figures,
                         "limit": "insert", "target": "vote"})
            report_line(rows[-1])
            # what a signed-in form POST costs before any work of its own (CSRF, session, user), with the
            # same one INSERT: shows how much of the vote's cost is being a signed-in POST at all
            (work / "reader.txt").write_text((fixtures["reader"] + "\n") * 20_000)
            figures = wrk(base + "/bench/signed-in-insert/", seconds=args.seconds, connections=args.connections,
                          script=ROOT / "bench" / "rotate.lua",
                          script_args=[str(work / "reader.txt"), "2", f"csrfmiddlewaretoken={fixtures['csrf']}", fixtures["csrf"]])
            rows.append({"scenario": "(reference) one INSERT as a signed-in POST", "path": "/bench/signed-in-insert/",
                         **figures, "limit": "insert", "target": None})
            report_line(rows[-1])

            def run_burst(path):
                return json.loads(subprocess.run(
                    [PY, str(ROOT / "bench" / "burst.py"), "--port", str(port), "--path", path,
                     "--sessions", str(work / "registrants.txt"), "--csrf", fixtures["csrf"], "--body", fixtures["burst"]["body"]],
                    capture_output=True, text=True, check=True).stdout)

            # the same burst (1,000 connections at once, one request each) against the bare view: the
            # least time in which this machine can answer that many requests at all
            burst = run_burst("/bench/bare/")
            rows.append({"scenario": f"(reference) the same burst, {burst['requests']:,} at once, bare view",
                         "path": "/bench/bare/", "rps": burst["rps"], "p50_ms": burst["p50_ms"], "p99_ms": burst["p99_ms"],
                         "requests": burst["requests"], "statuses": burst["statuses"], "duration_s": burst["duration_s"],
                         "errors": sum(n for status, n in burst["statuses"].items() if int(status) != 200),
                         "limit": "bare", "target": None})
            report_line(rows[-1])
            burst = run_burst(fixtures["burst"]["path"])
            bad = sum(n for status, n in burst["statuses"].items() if not 200 <= int(status) < 400)
            rows.append({"scenario": f"registration burst: {burst['requests']:,} at once, {fixtures['burst']['capacity']} seats",
                         "path": fixtures["burst"]["path"], "rps": burst["rps"], "p50_ms": burst["p50_ms"],
                         "p99_ms": burst["p99_ms"], "requests": burst["requests"], "errors": bad,
                         "statuses": burst["statuses"], "duration_s": burst["duration_s"], "limit": "insert",
                         "target": "burst"})
            report_line(rows[-1])

            status, _body = fetch(base + "/admin/kla/", {"Cookie": f"sessionid={fixtures['pembina']}"})
            if status == 200:
                figures = wrk(base + "/admin/kla/", seconds=args.seconds, connections=1, threads=1, headers=(pembina,))
                rows.append({"scenario": "KLA dashboard, pembina (server time)", "path": "/admin/kla/", **figures,
                             "limit": "bare", "target": "dashboard"})
                report_line(rows[-1])

            events_page = json.loads(manage(env, "shell", "-c", "import json; from events.models import Event; "
                                            "print(json.dumps(Event.objects.filter(is_published=True, slug__startswith="
                                            "'bench-kegiatan').order_by('id').first().get_absolute_url()))").splitlines()[-1])
            for path in ("/", "/artikel/", article, "/konsultasi/", fixtures["results"]["path"], "/kegiatan/", events_page):
                sizes[path] = first_load(base, path, work / "media")
        except subprocess.CalledProcessError as failed:
            log = work / "setup.log"
            print(f"FAILED: {failed.cmd}\n{failed.stdout or ''}{failed.stderr or ''}", file=sys.stderr)
            if log.exists():
                print(log.read_text()[-5000:], file=sys.stderr)
            raise
        finally:
            for proc in reversed(procs[1:]):  # gunicorn first; Redis stays for the invariant checks
                stop(proc)
            gunicorn_log = (work / "gunicorn.log").read_text() if (work / "gunicorn.log").exists() else ""
        checks = json.loads(subprocess.run([PY, "bench/invariants.py", str(work / "fixtures.json")], env=env, cwd=ROOT,
                                           capture_output=True, text=True, check=True).stdout.splitlines()[-1])
    finally:
        for proc in procs:
            if proc.poll() is None:
                stop(proc)
        shutil.rmtree(work, ignore_errors=True)

    limits = {"bare": rows[0]["rps"], "insert": rows[1]["rps"]}
    burst_row = next(r for r in rows if r["target"] == "burst")
    burst_row["oversold"] = max(checks["burst"]["seats_held"] - checks["burst"]["capacity"], 0)
    for row in rows:
        row["ratio"] = round(row["rps"] / limits[row["limit"]], 3) if row["limit"] else 1.0
        if row["target"]:
            row["target_text"] = TARGETS[row["target"]][0]
            row["target_met"] = bool(TARGETS[row["target"]][1](row))
    vote_row = next(r for r in rows if r["target"] == "vote")
    # wrk's script counts by class ("5xx"), bench/burst.py by status code ("503")
    fivexx = sum(n for r in rows for status, n in (r.get("statuses") or {}).items()
                 if status == "5xx" or (status.isdigit() and int(status) >= 500))
    invariants = {
        "seats held ≤ capacity (burst event)": checks["burst"]["seats_held"] <= checks["burst"]["capacity"],
        "every burst request registered or waitlisted": sum(checks["burst"]["registrations"].values()) == burst_row["requests"],
        "ballots = participations (every vote through the site, every consultation)":
            not checks["ballots_participations_mismatched"],
        # wrk stops counting at the deadline: up to one request per connection is served uncounted
        "one ballot per accepted vote POST": 0 <= checks["vote"]["participations"] - (vote_row["statuses"] or {}).get("3xx", -1)
        <= args.connections,
        "every vote POST accepted (redirected to its thanks page)": bool(vote_row["statuses"])
        and vote_row["statuses"]["2xx"] == vote_row["statuses"]["4xx"] == vote_row["statuses"]["5xx"] == 0,
        "no 5xx": fivexx == 0,
        "no errors (socket errors, 4xx, 5xx)": all(r["errors"] == 0 for r in rows),
    }
    first_load_ok = all(s["total"] < 100_000 for s in sizes.values())
    report = {"workers": args.workers, "seconds": args.seconds, "connections": args.connections,
              "cpus": os.cpu_count(), "seed_seconds": round(seed_seconds, 1), "seed_timings": timings,
              "total_seconds": round(time.monotonic() - started, 1), "scenarios": rows, "first_load_bytes": sizes,
              "first_load_under_100kb": first_load_ok, "checks": checks, "invariants": invariants}
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    lines = ["| scenario | req/s | ratio to limit | p50 ms | p99 ms | errors | target |", "|---|---|---|---|---|---|---|"]
    for row in rows:
        ratio = f"{row['ratio']:.0%} of {row['limit']}" if row["limit"] else "the limit"
        target = f"{row['target_text']}: {'met' if row['target_met'] else '**missed**'}" if row["target"] else ""
        lines.append(f"| {row['scenario']} | {row['rps']:.1f} | {ratio} | {row['p50_ms']:.2f} | {row['p99_ms']:.2f} | "
                     f"{row['errors']} | {target} |")
    if not any(r["target"] == "dashboard" for r in rows):
        lines.append("| KLA dashboard, pembina | — | — | — | — | — | skipped: /admin/kla/ did not answer 200 |")
    lines += ["", f"gunicorn workers: {args.workers} (sync); wrk {args.connections} connections, {args.seconds} s each "
              f"(dashboard: 1 connection); {os.cpu_count()} CPUs; seeding {seed_seconds:.0f} s, whole run "
              f"{report['total_seconds']:.0f} s. Rows marked (reference) have no target: they show what a signed-in "
              "POST costs before any work of its own, and how long the burst takes when every request is the bare view.",
              f"Vote POST statuses: {vote_row['statuses']}; burst statuses: {burst_row['statuses']} in "
              f"{burst_row['duration_s']} s; burst registrations: {checks['burst']['registrations']}.", "",
              f"First load (HTML + CSS + JS + every image, uncompressed), target < 100 KB: "
              f"{'met' if first_load_ok else '**missed**'}", "",
              "| page | HTML | CSS | images (count) | total |", "|---|---|---|---|---|"]
    for path, s in sizes.items():
        lines.append(f"| `{path}` | {s['html']:,} | {s['css']:,} | {s['images']:,} ({s['image_count']}) | {s['total']:,} |")
    lines += ["", "Invariants after the load:", ""]
    lines += [f"- {name}: {'ok' if ok else '**BROKEN**'}" for name, ok in invariants.items()]
    lines += [f"- (votes: {checks['vote']['participations']:,} participations, {checks['vote']['ballots']:,} ballots; "
              f"burst event: {checks['burst']['seats_held']} of {checks['burst']['capacity']} seats held; "
              f"{checks['consultations_checked']} consultations checked)"]
    (out / "latest.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    if not all(invariants.values()):
        print(gunicorn_log[-3000:], file=sys.stderr)
        sys.exit(1)


def report_line(row):
    print(f"{row['scenario']:44} {row['rps']:9.1f} req/s  p50 {row['p50_ms']:8.2f} ms  p99 {row['p99_ms']:8.2f} ms  "
          f"errors {row['errors']}", flush=True)


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


if __name__ == "__main__":
    main()
