"""Fixtures of the core tests: a throwaway redis-server (skipped only when the binary is missing;
make test installs it on CI)."""

import shutil
import subprocess
import time

import pytest

REDIS = shutil.which("redis-server")


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def redis_url(tmp_path):
    if REDIS is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    sock = tmp_path / "redis.sock"
    server = subprocess.Popen([REDIS, "--port", "0", "--unixsocket", str(sock), "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        wait_for(sock.exists, 20, "Redis")
        yield f"unix://{sock}"
    finally:
        server.terminate()
        server.wait(timeout=20)
