"""Every URL the project answers, from the URL resolver: the project's own views and the ones the
frameworks bring (Wagtail, the Django admin, allauth). Attacker tests walk this list, so that a view
added later, by us or by a framework upgrade, is covered without editing them."""

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import get_converters
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>(?:[^()]|\([^()]*\))*)\)")
SAMPLES = {"int": "1", "str": "x", "slug": "x", "uuid": str(uuid.UUID(int=1)), "path": "1"}


@dataclass(frozen=True)
class Route:
    route: str  # the pattern text, e.g. "admin/pages/<int:page_id>/edit/"
    path: str  # a concrete path for it, e.g. "/admin/pages/1/edit/"
    name: str | None
    callback: object
    namespace: str = ""  # the URL namespace, e.g. "kegiatan" (a Wagtail viewset's url_namespace)
    patterns: tuple = ()  # the chain of patterns from the root, to fill with other values

    @property
    def module(self):
        view = getattr(self.callback, "view_class", None) or self.callback
        return getattr(view, "__module__", "") or ""

    @property
    def params(self):
        """The names of the route's parameters, e.g. {"pk"}."""
        return {name for p in self.patterns for name in p.regex.groupindex}

    def path_for(self, values):
        """A concrete path with ``values`` for the named parameters (samples for the others)."""
        return "/" + "".join(_sample_route(p, values) for p in self.patterns)


def _sample_route(pattern, values):
    def fill(match):
        name, converter = match["name"], match["converter"] or "str"
        if name in values:
            return str(values[name])
        if converter in SAMPLES:
            return SAMPLES[converter]
        # a project converter names its own sample (forumanak.core.converters)
        return str(getattr(get_converters().get(converter), "sample", "1"))

    if isinstance(pattern, RoutePattern):
        return _ROUTE_PARAM.sub(fill, str(pattern._route))
    if isinstance(pattern, RegexPattern):
        text = pattern._regex
        text = _REGEX_GROUP.sub(lambda m: str(values.get(m["name"], _regex_sample(m["body"]))), text)
        text = _fill_unnamed_groups(text).lstrip("^").rstrip("$")
        return text.replace("\\.", ".").replace("\\", "")
    if isinstance(pattern, LocalePrefixPattern):
        return ""  # the default language has no prefix
    return str(pattern)


def _fill_unnamed_groups(text):
    """Replace each top-level unnamed group with a sample: digits → 1, a repeated group → nothing."""
    out, depth, start = [], 0, None
    for i, char in enumerate(text):
        if char == "(" and (i == 0 or text[i - 1] != "\\"):
            if depth == 0:
                start = i
            depth += 1
        elif char == ")" and text[i - 1] != "\\" and depth:
            depth -= 1
            if depth == 0:
                body = text[start + 1 : i]
                out.append("1" if body.startswith("\\d") else ("" if body.endswith(")*") else "x"))
                continue
        if depth == 0:
            out.append(char)
    return "".join(out)


def _regex_sample(body):
    if "0-9" in body and "A-Z" not in body and "a-z" not in body and "\\w" not in body:
        return "1"
    if body.startswith("live|") or body.startswith("earliest|"):
        return body.split("|")[0]
    return "1"


def routes(values=None, *, resolver=None):
    """Every URL pattern with a concrete path. ``values`` fills named parameters (real ids)."""
    values = values or {}

    def walk(patterns, prefix, namespace, chain):
        for entry in patterns:
            part = _sample_route(entry.pattern, values)
            if isinstance(entry, URLResolver):
                inner = ":".join(n for n in (namespace, entry.namespace) if n)
                yield from walk(entry.url_patterns, prefix + part, inner, (*chain, entry.pattern))
            elif isinstance(entry, URLPattern):
                yield Route(prefix + str(entry.pattern), "/" + prefix + part, entry.name, entry.callback, namespace,
                            (*chain, entry.pattern))

    yield from walk((resolver or get_resolver()).url_patterns, "", "", ())


def admin_routes(values=None):
    return [r for r in routes(values) if r.path.startswith(("/admin/", "/django-admin/"))]


def project_viewsets():
    """The Wagtail admin viewsets the project registers (its own modules, not Wagtail's), found in
    Wagtail's viewset registry: a viewset added later is found without editing any test."""
    from wagtail.admin.viewsets import viewsets

    get_resolver().url_patterns  # noqa: B018 - loading the URLconf populates the registry
    project = ("forumanak.", "events.", "cms.")
    return [v for v in viewsets.viewsets if type(v).__module__.startswith(project)]


def viewset_routes(values=None):
    """(viewset, route) for every URL pattern of every viewset the project registers."""
    by_namespace = {v.url_namespace: v for v in project_viewsets()}
    return [(by_namespace[r.namespace], r) for r in admin_routes(values) if r.namespace in by_namespace]
