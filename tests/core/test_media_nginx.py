"""Every restricted file behind the documented nginx (issue 25, section 2; and two items of section 5).

Debian's nginx runs the configuration printed in docs/deploy.md, section 4 — read from that file,
so the docs and the test cannot drift — on loopback ports, with TLS, in front of gunicorn under
the production settings on the test database. As root (CI) its workers run as ``www-data``, as on
a Debian server, so the file modes and groups of docs/deploy.md, section 6 are what is tested.

Files are uploaded the way staff upload them, through nginx: a forum's SK on the forum's edit page,
Wagtail documents in a login-only and in a group-only collection, a signed paper consent form. Each
is then fetched by an anonymous visitor, by a signed-in child of another forum and by a fasilitator
of another forum, under every URL it could have: all refused. The people who may see a file get
it, through nginx's internal location. Public images and renditions are served with safe headers;
no response names a server version; the static files' manifest is not served.
"""

import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.conftest import PASSWORD, enable_totp, make_user, subprocess_env
from tests.membership.conftest import apply, city, consent_texts, grant, staff  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
DEPLOY_DOC = ROOT / "docs" / "deploy.md"
NGINX = "/usr/sbin/nginx"
HOST = "forumanak.balikpapan.go.id"
SECRET_KEY = "media-nginx-" + "Zr7qW2pL9xT1cN6bH3dJ5fG0sA8yU4eI" * 2
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RANDOM_NAME = re.compile(r"[0-9a-f]{32}\.[a-z0-9]+")
NGINX_CONFIG_START = "# /etc/nginx/sites-available/forumanak"


# ---- the documented configuration -------------------------------------------------------------


def documented_nginx_config():
    """The nginx configuration block of docs/deploy.md (an indented block that starts with
    NGINX_CONFIG_START), de-indented."""
    lines = DEPLOY_DOC.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == NGINX_CONFIG_START)
    block = []
    for line in lines[start:]:
        if line.strip() and not line.startswith("    "):
            break
        block.append(line[4:])
    return "\n".join(block).strip() + "\n"


def localise(config, *, base, http_port, https_port, app_port, certs):
    """The documented configuration with this machine's ports and directories: each replacement
    must apply, and nothing of the production machine may remain."""
    replacements = [
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        (f"/etc/letsencrypt/live/{HOST}/", f"{certs}/"),
        ("/var/lib/forumanak/", f"{base}/"),
        ("http://127.0.0.1:8000", f"http://127.0.0.1:{app_port}"),
    ]
    for old, new in replacements:
        assert old in config, f"docs/deploy.md's nginx configuration no longer has {old!r}: update this test"
        config = config.replace(old, new)
    for production_only in ("/var/lib/forumanak", "/etc/letsencrypt", ":8000", "listen 443", "listen 80"):
        assert production_only not in config, f"{production_only!r} left in the test's nginx configuration"
    return config


def nginx_main_config(server_blocks, *, prefix, user):
    """What Debian's /etc/nginx/nginx.conf provides around the site's server blocks, with every
    path in the test's directory."""
    return f"""{f"user {user};" if user else ""}
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {prefix}/logs/access.log;
    client_body_temp_path {prefix}/temp/body;
    proxy_temp_path {prefix}/temp/proxy;
    fastcgi_temp_path {prefix}/temp/fastcgi;
    uwsgi_temp_path {prefix}/temp/uwsgi;
    scgi_temp_path {prefix}/temp/scgi;
{server_blocks}
}}
"""


def self_signed_certificate(directory):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.now(UTC)
    import ipaddress

    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (directory / "fullchain.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "privkey.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    os.chmod(directory / "privkey.pem", 0o600)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, what, process, log, timeout=30):
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} exited ({process.returncode}):\n{Path(log).read_text()[-3000:]}")
        try:
            last = check()
            if last.status_code == 200:
                return
        except (requests.ConnectionError, OSError) as exc:
            last = exc
        time.sleep(0.1)
    pytest.fail(f"{what} did not start ({last!r}):\n{Path(log).read_text()[-3000:]}")


class Stack:
    """nginx (the documented configuration) in front of gunicorn (production settings)."""

    def __init__(self, base, *, https_port, http_port, app_port, certs, worker_group):
        self.base, self.certs, self.worker_group = base, certs, worker_group
        self.media, self.private = base / "media", base / "private"
        self.url = f"https://127.0.0.1:{https_port}"
        self.http_url = f"http://127.0.0.1:{http_port}"
        self.app_url = f"http://127.0.0.1:{app_port}"

    def client(self):
        return Visitor(self)

    def restart_worker(self):
        """A new gunicorn worker, forked from the preloaded app (HUP): a transactional test's flush
        gives rows new ids, and a worker's caches (content types, sites) would keep the old ones."""
        log = self.base / "logs" / "gunicorn.log"
        booted, exited = (log.read_text().count(s) for s in ("Booting worker", "Worker exiting"))
        os.kill(self.app_pid, signal.SIGHUP)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            text = log.read_text()
            if text.count("Booting worker") > booted and text.count("Worker exiting") > exited:
                return
            time.sleep(0.05)
        pytest.fail(f"gunicorn did not start a new worker:\n{self.log()}")

    def log(self):
        """The end of gunicorn's log, for a failure's message."""
        return (self.base / "logs" / "gunicorn.log").read_text(errors="replace")[-4000:]

    def direct(self, path, cookies=None):
        """Ask gunicorn itself, as nginx does (to see what it answers nginx)."""
        headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        return requests.get(self.app_url + path, headers=headers, allow_redirects=False, timeout=10)


class Visitor:
    """A browser: one cookie jar, every request through nginx over TLS."""

    def __init__(self, stack):
        self.stack = stack
        self.session = requests.Session()
        self.verify = str(stack.certs / "fullchain.pem")  # per request: REQUESTS_CA_BUNDLE would win over the session's
        self.session.headers.update({"Host": HOST, "Referer": f"https://{HOST}/", "Origin": f"https://{HOST}"})

    def get(self, path, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        return self.session.get(self.stack.url + path, timeout=10, verify=self.verify, **kwargs)

    def post(self, path, data, files=None):
        return self.session.post(self.stack.url + path, data=data, files=files, allow_redirects=False, timeout=20,
                                 verify=self.verify)

    def form(self, path, data, files=None):
        """Open a form page and submit it with its CSRF token."""
        page = self.get(path)
        assert page.status_code == 200, (path, page.status_code, page.headers.get("Location"), self.stack.log())
        response = self.post(path, {"csrfmiddlewaretoken": CSRF.search(page.text).group(1), **data}, files)
        assert response.status_code < 500, (path, self.stack.log())
        return response

    def sign_in(self, login, totp=None):
        response = self.form("/akun/login/", {"login": login, "password": PASSWORD})
        assert response.status_code == 302, response.text[-2000:]
        if totp is not None:
            assert "/akun/2fa/authenticate/" in response.headers["Location"]
            response = self.form("/akun/2fa/authenticate/", {"code": totp()})
            assert response.status_code == 302, response.text[-2000:]
        return self

    @property
    def cookies(self):
        return {c.name: c.value for c in self.session.cookies}


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, production_static):
    """One nginx and one gunicorn for the module."""
    if not os.access(NGINX, os.X_OK):
        pytest.fail(f"{NGINX} is missing: apt-get install nginx (scripts/test.sh installs it on CI)")
    as_root = os.geteuid() == 0
    base = Path(tempfile.mkdtemp(prefix="forumanak-nginx-", dir="/tmp"))
    os.chmod(base, 0o755)  # /var/lib/forumanak: nginx's workers pass through it
    certs = base / "certs"
    certs.mkdir()
    self_signed_certificate(certs)
    for sub in ("logs", "temp"):
        (base / sub).mkdir()
    # docs/deploy.md, section 6: the public folder is the site user's; the private one too, with
    # nginx's group (set-group-ID, so that what the app creates in it keeps that group).
    (base / "media").mkdir()
    os.chmod(base / "media", 0o755)
    (base / "private").mkdir()
    worker_user = "www-data" if as_root else None
    worker_group = None
    if as_root:
        import grp

        worker_group = grp.getgrnam("www-data").gr_gid
        os.chown(base / "private", 0, worker_group)
    os.chmod(base / "private", 0o2750)

    ports = {"https_port": free_port(), "http_port": free_port(), "app_port": free_port()}
    site = localise(documented_nginx_config(), base=base, certs=certs, **ports)
    (base / "nginx.conf").write_text(nginx_main_config(site, prefix=base, user=worker_user))
    with django_db_blocker.unblock():
        env = subprocess_env(
            DJANGO_SETTINGS_MODULE="forumanak.settings.production", SECRET_KEY=SECRET_KEY, ALLOWED_HOSTS=HOST,
            SITE_URL=f"https://{HOST}", MEDIA_ROOT=str(base / "media"), PRIVATE_MEDIA_ROOT=str(base / "private"),
            STATIC_ROOT=str(production_static), FORUM_VAR_DIR=str(base / "var"), CMS_PAGE_CACHE_SECONDS="0",
        )
    env.pop("REDIS_URL", None)
    this = Stack(base, certs=certs, worker_group=worker_group, **ports)
    app_log, nginx_log = base / "logs" / "gunicorn.log", base / "logs" / "error.log"
    processes = []
    try:
        with open(app_log, "wb") as log:
            app = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "forumanak.wsgi", "--bind", f"127.0.0.1:{ports['app_port']}",
                 "--workers", "1", "--timeout", "60", "--preload"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        processes.append(app)
        this.app_pid = app.pid
        nginx_log.touch()
        proxy = subprocess.Popen([NGINX, "-p", str(base), "-c", str(base / "nginx.conf"), "-e", str(nginx_log)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        processes.append(proxy)
        wait_for(lambda: this.direct("/healthz"), "gunicorn", app, app_log)
        wait_for(lambda: this.client().get("/healthz"), "nginx", proxy, nginx_log)
        yield this
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(autouse=True)
def fresh_worker(stack):
    stack.restart_worker()


# ---- people and files ---------------------------------------------------------------------------


def png_bytes():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 80), (11, 93, 87)).save(out, "PNG")
    return out.getvalue()


def marked_pdf(label):
    """A PDF-looking file with a unique marker, so that a response can be searched for it."""
    marker = f"RAHASIA-{label}-{uuid.uuid4().hex}"
    return marker, f"%PDF-1.4\n% {marker}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".encode()


@pytest.fixture
def people(city, consent_texts):  # noqa: F811 (fixtures imported above)
    call_command("setup_roles", stdout=io.StringIO())
    from django.contrib.auth.models import Group

    manggar, baru_tengah = city["forums"]["64.71.01.1001"], city["forums"]["64.71.02.1001"]
    fasilitator = staff("fas-manggar", manggar, "fasilitator")
    other_fasilitator = staff("fas-barutengah", baru_tengah, "fasilitator")
    for user in (fasilitator, other_fasilitator):
        user.groups.add(Group.objects.get(name="Fasilitator"))
    admin = make_user("admin-uji", is_staff=True, is_superuser=True)
    pembina_group = Group.objects.get(name="Pembina")
    # a child member of another forum (Baru Tengah), active, signed in with a username
    child, _request, token = apply(city, username="anak-lain", kelurahan="64.71.02.1001")
    grant(token, child)
    from forumanak.membership import services

    services.approve_member(member=child, actor=admin)
    # an applicant of Manggar whose guardian signed a paper form
    applicant, consent, _token = apply(city, username="putri", kelurahan="64.71.01.1001")
    # the test settings hash with MD5, which the production settings do not read: a PBKDF2 hash
    # (few iterations: gunicorn upgrades it at sign-in)
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hashed = PBKDF2PasswordHasher().encode(PASSWORD, "mediatest", iterations=1000)
    get_user_model().objects.filter(pk__in=[fasilitator.pk, other_fasilitator.pk, admin.pk, child.user_id]).update(
        password=hashed)
    return {
        "forum": manggar, "fasilitator": fasilitator, "fasilitator_totp": enable_totp(fasilitator),
        "other_fasilitator": other_fasilitator, "other_totp": enable_totp(other_fasilitator),
        "admin": admin, "admin_totp": enable_totp(admin), "child": child, "consent": consent,
        "pembina_group": pembina_group,
    }


def root_collection():
    """Wagtail's root collection (a migration makes it; the previous test's flush removed it)."""
    from wagtail.models import Collection

    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def restricted_collections(pembina_group):
    from wagtail.models import Collection, CollectionViewRestriction

    root = root_collection()
    login_only = root.add_child(instance=Collection(name="Rapat pengurus"))
    CollectionViewRestriction.objects.create(collection=login_only, restriction_type="login")
    group_only = root.add_child(instance=Collection(name="Dokumen pembina"))
    restriction = CollectionViewRestriction.objects.create(collection=group_only, restriction_type="groups")
    restriction.groups.add(pembina_group)
    return login_only, group_only


def upload_everything(stack, people):
    """Staff upload an SK, two documents and a paper consent scan through nginx, as they would.
    Returns the two staff visitors and, per file: its stored name, its content, the name it was
    uploaded with and the URL of the view that serves it."""
    from wagtail.documents import get_document_model

    from forumanak.membership.models import ConsentDecision

    files = {}
    fasilitator = stack.client().sign_in("fas-manggar", people["fasilitator_totp"])
    forum = people["forum"]
    marker, content = marked_pdf("sk")
    uploaded = "SK Pengurus Forum Anak Manggar - Budi Santoso.pdf"
    response = fasilitator.form(f"/admin/forum/edit/{forum.pk}/", {
        "name": forum.name, "sk_number": "400/12/2026", "sk_date": "2026-01-05", "sk_issuer": "Lurah Manggar",
        "sk_valid_until": "2028-01-04",
    }, files={"sk_file": (uploaded, content, "application/pdf")})
    assert response.status_code == 302, response.text[-3000:]
    forum.refresh_from_db()
    files["sk"] = {"name": forum.sk_file.name, "marker": marker, "content": content, "uploaded": uploaded,
                   "view": f"/admin/forum/{forum.pk}/berkas-sk/"}

    marker, content = marked_pdf("scan")
    uploaded = "Formulir persetujuan Putri Lengkap.pdf"
    consent = people["consent"]
    response = fasilitator.form(f"/admin/persetujuan/{consent.pk}/kertas/", {
        "decision": "granted", "guardian_name": "Ibu Putri"}, files={"scan": (uploaded, content, "application/pdf")})
    assert response.status_code == 302, response.text[-3000:]
    decision = ConsentDecision.objects.get(request=consent)
    files["scan"] = {"name": decision.paper_scan.name, "marker": marker, "content": content, "uploaded": uploaded,
                     "view": f"/admin/persetujuan/keputusan/{decision.pk}/pindaian/"}

    login_only, group_only = restricted_collections(people["pembina_group"])
    admin = stack.client().sign_in("admin-uji", people["admin_totp"])
    Document = get_document_model()
    for key, collection, uploaded in [("login_doc", login_only, "Notulen rapat - data anak.pdf"),
                                      ("group_doc", group_only, "Daftar anak binaan.pdf")]:
        marker, content = marked_pdf(key)
        response = admin.form("/admin/documents/add/", {"title": uploaded[:-4], "collection": collection.pk},
                              files={"file": (uploaded, content, "application/pdf")})
        assert response.status_code == 302, response.text[-3000:]
        document = Document.objects.get(title=uploaded[:-4])
        files[key] = {"name": document.file.name, "marker": marker, "content": content, "uploaded": uploaded,
                      "view": f"/documents/{document.pk}/{document.filename}"}
    return fasilitator, admin, files


def candidate_urls(file):
    """Every URL a file could have, from what an attacker knows or guesses."""
    name = file["name"]
    base = name.rsplit("/", 1)[-1]
    uploaded = quote(file["uploaded"])
    urls = {file["view"], f"/media/{name}", f"/media/{base}", f"/_private/{name}", f"/private/{name}",
            f"/media/%2e%2e/private/{name}"}
    for folder in ("sk", "documents", "persetujuan", "original_images", "images"):
        urls |= {f"/media/{folder}/{base}", f"/media/{folder}/{uploaded}", f"/_private/{folder}/{base}"}
    return sorted(urls)


def assert_refused(visitor, url, file):
    response = visitor.get(url)
    final = visitor.get(url, allow_redirects=True)
    assert response.status_code in (302, 403, 404), (url, response.status_code)
    if response.status_code == 302:  # to a login, or (Wagtail's private files) to the refusal-or-login view
        assert any(door in response.headers["Location"] for door in ("/akun/login/", "/login/", "/akun/khusus/")), (
            url, response.headers["Location"])
    # where it ends: a refusal, or the login page (never the file, never a loop)
    ends_at_login = final.status_code == 200 and final.url.split("?")[0].endswith("/akun/login/")
    assert final.status_code in (403, 404) or ends_at_login, (url, final.status_code, final.url)
    assert file["marker"].encode() not in final.content, url
    assert file["marker"].encode() not in response.content, url


def assert_served_privately(response, file, *, via_nginx=True):
    assert response.status_code == 200, (response.status_code, response.headers)
    assert response.content == file["content"]
    assert response.headers["Content-Type"].startswith("application/pdf")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert file["uploaded"] not in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response.headers["Cache-Control"]
    assert "X-Accel-Redirect" not in response.headers
    if via_nginx:
        assert response.headers["Server"] == "nginx"


# ---- the tests ----------------------------------------------------------------------------------


def test_restricted_files_are_refused_under_every_url_and_served_to_those_who_may(stack, people):
    # (each staff member signs in once: a TOTP code is accepted once)
    fasilitator, admin, files = upload_everything(stack, people)

    anonymous = stack.client()
    child = stack.client().sign_in("anak-lain")
    other_fasilitator = stack.client().sign_in("fas-barutengah", people["other_totp"])
    for key, file in files.items():
        for url in candidate_urls(file):
            assert_refused(anonymous, url, file)
            if not (key == "login_doc" and url == file["view"]):  # a login-only document is for any member
                assert_refused(child, url, file)
                assert_refused(other_fasilitator, url, file)

    # stored in the private folder under random names, readable by nginx's group only
    for key, file in files.items():
        folder, base = file["name"].rsplit("/", 1)
        assert RANDOM_NAME.fullmatch(base), (key, file["name"])
        path = stack.private / file["name"]
        assert path.read_bytes() == file["content"]
        assert path.stat().st_mode & 0o777 == 0o640, (key, oct(path.stat().st_mode))
        assert (stack.private / folder).stat().st_mode & 0o777 == 0o750
        if stack.worker_group is not None:
            assert path.stat().st_gid == stack.worker_group
    for path in stack.media.rglob("*"):
        if path.is_file():
            assert not any(f["marker"].encode() in path.read_bytes() for f in files.values()), path

    # permitted: the SK and the scan for the fasilitator of Manggar, through nginx's internal location
    for key in ("sk", "scan"):
        file = files[key]
        assert_served_privately(fasilitator.get(file["view"]), file)
        # gunicorn answered nginx with a redirect to the internal location, not with the file
        answer = stack.direct(file["view"], fasilitator.cookies)
        assert answer.status_code == 200 and answer.content == b""
        assert answer.headers["X-Accel-Redirect"] == f"/_private/{file['name']}"
    from forumanak.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="forum.sk_file_viewed", actor=people["fasilitator"]).count() == 2
    assert AuditEntry.objects.filter(action="consent.scan_viewed", actor=people["fasilitator"]).count() == 2
    # the login-only document for a signed-in member, the group-only one for a superuser
    assert_served_privately(child.get(files["login_doc"]["view"]), files["login_doc"])
    assert_served_privately(admin.get(files["group_doc"]["view"]), files["group_doc"])


def test_public_images_and_renditions_are_served_by_nginx_with_safe_headers(stack, people):
    from cms.models import SiteImage

    admin = stack.client().sign_in("admin-uji", people["admin_totp"])
    response = admin.form("/admin/images/add/", {
        "title": "Anak bermain", "alt_text": "Dua anak bermain bola", "collection": root_collection().pk,
    }, files={"file": ("Foto Budi Santoso kelas 5.png", png_bytes(), "image/png")})
    assert response.status_code == 302, response.text[-3000:]
    image = SiteImage.objects.get(title="Anak bermain")
    edit = admin.get(f"/admin/images/{image.pk}/")  # the edit page shows a rendition, made by gunicorn
    assert edit.status_code == 200
    renditions = [r.file.name for r in image.renditions.all()]
    assert renditions
    for name in (image.file.name, *renditions):
        assert RANDOM_NAME.fullmatch(name.rsplit("/", 1)[-1]), name
        path = stack.media / name
        assert path.stat().st_mode & 0o777 == 0o644, (name, oct(path.stat().st_mode))
        assert path.parent.stat().st_mode & 0o777 == 0o755
        served = stack.client().get(f"/media/{name}")  # anonymous, as every public image is
        assert served.status_code == 200, (name, served.status_code)
        assert served.content == path.read_bytes()
        assert served.headers["Content-Type"].startswith("image/")
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        assert served.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert served.headers["Content-Disposition"] == "inline"
        assert served.headers["Server"] == "nginx"
    # whatever else lands in the public folder is never a page of this site
    (stack.media / "planted.html").write_text("<script>alert(1)</script>")
    os.chmod(stack.media / "planted.html", 0o644)
    planted = stack.client().get("/media/planted.html")
    assert not planted.headers.get("Content-Type", "").startswith("text/html")
    assert planted.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_no_server_version_and_no_static_manifest(stack, production_static):
    visitor = stack.client()
    for response in (visitor.get("/healthz"), visitor.get("/no-such-page/"), visitor.get("/media/no-such-file.png"),
                     requests.get(stack.http_url + "/", headers={"Host": HOST}, allow_redirects=False, timeout=10)):
        assert response.headers["Server"] == "nginx", response.headers
        assert not re.search(rb"nginx/\d", response.content)
    assert requests.get(stack.http_url + "/x?y=1", headers={"Host": HOST}, allow_redirects=False,
                        timeout=10).headers["Location"] == f"https://{HOST}/x?y=1"
    assert not re.search(r"\d", stack.direct("/healthz").headers.get("Server", ""))  # gunicorn's own header

    assert (Path(production_static) / "staticfiles.json").exists()
    for response in (visitor.get("/static/staticfiles.json"), stack.direct("/static/staticfiles.json")):
        assert response.status_code == 404
        assert b'"paths"' not in response.content
    import json

    css = json.loads((Path(production_static) / "staticfiles.json").read_text())["paths"]["css/site.css"]
    assert visitor.get(f"/static/{css}").status_code == 200  # the static files themselves are still served
