"""Compile the project's .po files to .mo without GNU gettext (Babel is pure Python), and make
Wagtail's Indonesian admin translations (shipped as ``id_ID``) available for our ``id``."""

import shutil
from importlib import import_module
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand

SOURCE_LOCALE_DIRS = [settings.PROJECT_DIR / "locale"]


class Command(BaseCommand):
    help = "Compile translation catalogues (.po → .mo) with Babel; no system gettext needed."

    def handle(self, *args, **options):
        compiled = 0
        for base in SOURCE_LOCALE_DIRS:
            for po_path in sorted(Path(base).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                with open(po_path, "rb") as fh:
                    catalog = read_po(fh, locale=po_path.parent.parent.name)
                with open(mo_path, "wb") as fh:
                    write_mo(fh, catalog, use_fuzzy=False)
                compiled += 1
        aliased = self.alias_wagtail_indonesian()
        self.stdout.write(f"Translations: {compiled} catalogue(s) compiled, {aliased} Wagtail catalogue(s) linked.")

    def alias_wagtail_indonesian(self):
        """Wagtail names its Indonesian catalogues ``id_ID``; Django looks for ``id``. Copy them
        under var/locale/wagtail-<app>/id so that the admin speaks Indonesian."""
        target_root = settings.VAR_DIR / "locale"
        wagtail_root = Path(import_module("wagtail").__file__).parent
        count = 0
        for mo in sorted(wagtail_root.glob("**/locale/id_ID/LC_MESSAGES/*.mo")):
            app_dir = mo.parents[3].relative_to(wagtail_root.parent)
            name = "-".join(app_dir.parts)
            dest = target_root / name / "id" / "LC_MESSAGES" / mo.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            if not dest.exists() or dest.stat().st_size != mo.stat().st_size:
                shutil.copyfile(mo, dest)
            count += 1
        return count
