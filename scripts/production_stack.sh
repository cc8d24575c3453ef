#!/usr/bin/env bash
# Start the production stack of docs/deploy.md on this machine and check it works:
# a throwaway PostgreSQL cluster and Redis server, the deploy steps, gunicorn (production
# settings) and one django-q2 cluster on Redis. It requests pages through gunicorn as the reverse
# proxy would (X-Forwarded-Proto: https), queues an email and waits for the cluster to send it.
# Everything is removed afterwards. Exit status 0 means the stack served and processed a task.
#   bash scripts/production_stack.sh
set -uo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DATABASE_URL:-}" ]; then
  exec bash scripts/with_postgres.sh bash "$0" "$@"
fi
PY=.venv/bin/python
command -v redis-server >/dev/null || { echo "redis-server is not installed: apt-get install redis-server" >&2; exit 1; }
WORK=$(mktemp -d /tmp/forumanak-stack.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

redis-server --port 0 --unixsocket "$WORK/redis.sock" --save "" --appendonly no >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
# the page cache's own instance, with the memory limit and eviction of docs/deploy.md
redis-server --port 0 --unixsocket "$WORK/redis-pages.sock" --save "" --appendonly no \
  --maxmemory 256mb --maxmemory-policy allkeys-lru >"$WORK/redis-pages.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -S "$WORK/redis.sock" ] && [ -S "$WORK/redis-pages.sock" ] && break; sleep 0.2; done

PORT=${PORT:-18$((RANDOM % 900 + 100))}
export DJANGO_SETTINGS_MODULE=forumanak.settings.production
export SECRET_KEY="stack-check-$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 60)"
export ALLOWED_HOSTS=127.0.0.1,localhost SITE_URL="http://127.0.0.1:$PORT"
export REDIS_URL="unix://$WORK/redis.sock" PAGE_CACHE_REDIS_URL="unix://$WORK/redis-pages.sock"
export FORUM_VAR_DIR="$WORK/var" STATIC_ROOT="$WORK/static"
export MEDIA_ROOT="$WORK/media" PRIVATE_MEDIA_ROOT="$WORK/private"
export EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend EMAIL_FILE_PATH="$WORK/mail"
mkdir -p "$WORK/var"

step() { echo "--- $*"; }
fail() { echo "FAILED: $*" >&2; for f in "$WORK"/*.log; do echo "== $f" >&2; tail -30 "$f" >&2; done; exit 1; }

step "deploy steps (docs/deploy.md, section 3)"
# The same manage.py commands as the docs, run in one process (each start of Django costs seconds).
$PY - >"$WORK/deploy.log" 2>&1 <<'PYTHON' || fail "deploy steps"
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False)
call_command("compile_translations")
call_command("collectstatic", interactive=False)
call_command("setup_schedules")
call_command("setup_roles")
call_command("check", deploy=True, fail_level="WARNING")
PYTHON

step "gunicorn on 127.0.0.1:$PORT and a django-q2 cluster on Redis"
.venv/bin/gunicorn forumanak.wsgi --bind "127.0.0.1:$PORT" --workers "${WORKERS:-2}" >"$WORK/gunicorn.log" 2>&1 &
PIDS+=($!)
$PY manage.py qcluster >"$WORK/qcluster.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

step "pages through gunicorn"
proxy=(-H "X-Forwarded-Proto: https" -H "Host: localhost")
code=$(curl -s -o "$WORK/home.html" -w '%{http_code}' "${proxy[@]}" "http://127.0.0.1:$PORT/") || fail "home page"
[ "$code" = 200 ] || fail "home page answered $code"
grep -q "Forum Anak" "$WORK/home.html" || fail "home page content"
css=$(grep -o '/static/css/site\.[0-9a-f]*\.css' "$WORK/home.html" | head -1)
[ -n "$css" ] || fail "no hashed stylesheet on the home page"
curl -fsS -o /dev/null "${proxy[@]}" "http://127.0.0.1:$PORT$css" || fail "static file through whitenoise"
redirect=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: localhost" "http://127.0.0.1:$PORT/konsultasi/")
[ "$redirect" = 301 ] || fail "plain http was not sent to https ($redirect)"
echo "home 200 ($(wc -c <"$WORK/home.html") bytes), $css 200, plain http → 301"
headers=$(curl -s -D - -o /dev/null "${proxy[@]}" "http://127.0.0.1:$PORT/") || fail "home page headers"
if grep -qi '^X-Page-Cache' <<<"$headers"; then fail "X-Page-Cache sent in production"; fi
$PY - >>"$WORK/deploy.log" 2>&1 <<'PYTHON' || fail "the page cache is not in its own Redis"
import os, redis
pages = redis.Redis.from_url(os.environ["PAGE_CACHE_REDIS_URL"]).keys("*")
default = redis.Redis.from_url(os.environ["REDIS_URL"]).keys("*")
assert any(b":cms:page:" in k for k in pages), pages
assert not any(b":cms:" in k for k in default), default
PYTHON
echo "page cache in its own Redis (maxmemory, allkeys-lru), no X-Page-Cache header"

step "a task through Redis: the cluster sends a queued email"
email_id=$($PY manage.py shell -c "
from django.db import transaction
from forumanak.core.email import queue_email
with transaction.atomic():
    print('EMAIL', queue_email(to='stack-check@example.test', template='test_message', context={'name': 'Stack'}).pk)
" 2>>"$WORK/deploy.log" | sed -n 's/^EMAIL //p') || fail "queue an email"
[ -n "$email_id" ] || fail "queue an email"
for _ in $(seq 150); do ls "$WORK/mail"/*.log >/dev/null 2>&1 && break; sleep 0.2; done
grep -q "To: stack-check@example.test" "$WORK"/mail/*.log 2>/dev/null || fail "the cluster did not send the email"
status=""
for _ in $(seq 20); do
  status=$($PY manage.py shell -c "from forumanak.core.models import OutboundEmail; print('STATUS', OutboundEmail.objects.get(pk='$email_id').status)" 2>/dev/null | sed -n 's/^STATUS //p')
  [ "$status" = sent ] && break; sleep 0.5
done
[ "$status" = sent ] || fail "email row $email_id not marked sent ($status)"
echo "email sent by the cluster via Redis, row marked sent"
echo "Production stack OK: PostgreSQL, Redis, gunicorn ($DJANGO_SETTINGS_MODULE), django-q2 cluster."
