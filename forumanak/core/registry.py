"""Per-app contributions to the project-wide commands, found by module name like autodiscovery.

An app contributes
- ``<app>/schedules.py`` with ``SCHEDULES``: a list of dicts for django-q2's ``Schedule``
  (``name`` is the key; ``func``, ``schedule_type`` and the rest are the values);
- ``<app>/demo.py`` with ``seed(*, stdout)`` that creates its demo data idempotently and returns
  a list of demo accounts as dicts (``role``, ``login``, ``password``, ``note``).
Apps are visited in INSTALLED_APPS order, which is the dependency order.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


def app_modules(module_name):
    for config in apps.get_app_configs():
        full = f"{config.name}.{module_name}"
        if find_spec(full) is not None:
            yield config, import_module(full)
