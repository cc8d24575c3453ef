"""Benchmark settings (make bench only): production settings, plain HTTP on 127.0.0.1, and two
reference endpoints — a bare view and a one-INSERT view — that exist nowhere else."""

from .production import *  # noqa: F401,F403

ROOT_URLCONF = "forumanak.settings.bench_urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
