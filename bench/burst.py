#!/usr/bin/env python
"""make bench: a registration burst. Opens one connection per session (1,000 by default), all at
once, then every connection POSTs the registration form at the same moment, signed in as a
different member. Prints one JSON line: statuses, p50/p99/max latency (from send to the end of the
response, so the time a request waits in the queue counts), duration and requests/s.

    python bench/burst.py --port P --path /kegiatan/x/daftar/ --sessions FILE --csrf SECRET --body FORM
"""

import argparse
import asyncio
import json
import resource
import statistics
import time


async def register(port, request, start, results):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        await start.wait()
        t0 = time.perf_counter()
        writer.write(request)
        await writer.drain()
        status_line = await reader.readline()
        await reader.read()  # Connection: close, so the response ends with the connection
        elapsed = time.perf_counter() - t0
        status = int(status_line.split()[1]) if status_line else 0
        results.append((status, elapsed))
    except OSError:
        results.append((0, None))
    finally:
        writer.close()


async def main_async(args):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4096)), hard))
    sessions = [line.strip() for line in open(args.sessions) if line.strip()]
    body = args.body.encode()
    start, results = asyncio.Event(), []
    requests = [(
        f"POST {args.path} HTTP/1.1\r\nHost: 127.0.0.1:{args.port}\r\nConnection: close\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
        f"Cookie: sessionid={key}; csrftoken={args.csrf}\r\n\r\n"
    ).encode() + body for key in sessions]
    tasks = [asyncio.create_task(register(args.port, r, start, results)) for r in requests]
    await asyncio.sleep(1.0)  # every connection is open (the kernel queues them for gunicorn)
    t0 = time.perf_counter()
    start.set()
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=args.timeout)
    duration = time.perf_counter() - t0
    times = sorted(t for _s, t in results if t is not None)
    statuses = {}
    for status, _t in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    q = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else times * 99
    print(json.dumps({
        "requests": len(results), "statuses": statuses, "duration_s": round(duration, 2),
        "rps": round(len(times) / duration, 1), "p50_ms": round(q[49] * 1000, 2), "p99_ms": round(q[98] * 1000, 2),
        "max_ms": round(times[-1] * 1000, 2) if times else None,
    }))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--sessions", required=True)
    parser.add_argument("--csrf", required=True)
    parser.add_argument("--body", required=True)
    parser.add_argument("--timeout", type=float, default=180)
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
