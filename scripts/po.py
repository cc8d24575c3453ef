#!/usr/bin/env python
"""Help keep the English catalogue complete.

  python scripts/po.py missing            list untranslated or fuzzy entries as JSON {msgid: ""}
  python scripts/po.py fill FILE.json     set translations from a JSON object {msgid: msgstr}
                                          (for plurals, msgid is the singular and msgstr a list)
Run `make messages` first so that the catalogue has every string of the source.
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "forumanak/locale/en/LC_MESSAGES/django.po"


def load():
    with PO.open("rb") as fh:
        return read_po(fh, locale="en")


def save(catalog):
    with PO.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=False, include_previous=False)


def untranslated(catalog):
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            yield message


def main(argv):
    if len(argv) >= 2 and argv[1] == "missing":
        catalog = load()
        out = {}
        for m in untranslated(catalog):
            key = m.id[0] if isinstance(m.id, tuple) else m.id
            out[key] = [] if isinstance(m.id, tuple) else ""
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    if len(argv) == 3 and argv[1] == "fill":
        mapping = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
        catalog = load()
        filled = 0
        for message in catalog:
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            if key in mapping and mapping[key]:
                value = mapping[key]
                message.string = tuple(value) if isinstance(message.id, tuple) else value
                message.flags.discard("fuzzy")
                filled += 1
        save(catalog)
        left = sum(1 for _ in untranslated(catalog))
        print(f"{filled} filled, {left} still untranslated")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
