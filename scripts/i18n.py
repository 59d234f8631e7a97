"""Bring relance_fr's .pot and fr.po in step with the code (a developer's tool).

Usage: scripts/i18n.py DB [DB_19]
DB must have relance_fr installed from this checkout on Odoo 18.0 (scripts/ensure_db.sh DB ...),
DB_19 the same on Odoo 19.0 (ODOO_VERSION=19.0 scripts/ensure_db.sh DB_19 ...). Re-exports the .pot
the way `odoo-bin --i18n-export` does on 18.0, the reference; the terms only 19.0 extracts are
added, marked "Odoo 19.0 only", and the places only 19.0 uses a term at (tests/test_translation.py
checks both). Then rewrites fr.po from
it: every term keeps its French translation, takes the code's places, and terms no longer in the
code are dropped. Prints the terms still to translate (left empty in fr.po: the translation test
fails on them).

Then rewrites en_GB.po, the English texts of what a foreign customer reads (issue 20 §7): the
.pot's terms used by the records of ``ENGLISH_RECORDS`` (relance_fr/tools/relance_lang.py), with
their English msgstr kept; prints the English terms still to write (left empty in en_GB.po).
"""

import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "relance_fr" / "i18n"
ONLY_19 = "Odoo 19.0 only"


def export(db, series, path):
    """The .pot of relance_fr as Odoo ``series`` exports it from ``db``."""
    src = Path(os.environ.get(f"ODOO_SRC_{series[:2]}", f"/opt/odoo/{series}"))
    conf = ROOT / "var" / ("odoo.conf" if series == "18.0" else f"odoo-{series}.conf")
    if series == "18.0":
        command = [
            "-c",
            str(conf),
            "-d",
            db,
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
            f"--i18n-export={path}",
            "--modules=relance_fr",
        ]
    else:  # 19.0 exports with a subcommand
        command = ["i18n", "export", "-c", str(conf), "-d", db, "-o", str(path), "relance_fr"]
    subprocess.run(
        [sys.executable, str(src / "odoo-bin"), *command],
        check=True,
        env={**os.environ, "PYTHONPATH": str(src)},
    )
    exported = polib.pofile(str(path))
    if not len(exported):
        sys.exit(f"{db} exported no term of relance_fr: is the module installed there ({series})?")
    return exported


pot_path = I18N / "relance_fr.pot"
with tempfile.TemporaryDirectory() as tmp:
    pot = export(sys.argv[1], "18.0", Path(tmp) / "relance_fr_18.pot")
    if len(sys.argv) > 2:
        reference = {entry.msgid: entry for entry in pot}
        for entry in export(sys.argv[2], "19.0", Path(tmp) / "relance_fr_19.pot"):
            if entry.msgid not in reference:
                entry.tcomment = ONLY_19
                pot.append(entry)
            else:  # 19.0 may use a term at more places (fields of inherited models)
                known = reference[entry.msgid].occurrences
                known += [place for place in entry.occurrences if place not in known]
pot.save(str(pot_path))
old = polib.pofile(str(I18N / "fr.po"))
known = {entry.msgid: entry.msgstr for entry in old if not entry.obsolete and entry.msgstr}
po = polib.POFile()
po.metadata = old.metadata
po.header = old.header
todo = []
for entry in pot:
    entry.msgstr = known.get(entry.msgid, "")
    if not entry.msgstr:
        todo.append(entry.msgid)
    po.append(entry)
po.save(str(I18N / "fr.po"))
for msgid in todo:
    print("to translate:", repr(msgid))


# en_GB.po: the terms of the records a foreign customer reads in English
spec = importlib.util.spec_from_file_location("relance_lang", I18N.parent / "tools" / "relance_lang.py")
relance_lang = importlib.util.module_from_spec(spec)
spec.loader.exec_module(relance_lang)
english_records = {f"relance_fr.{name}" for name in relance_lang.ENGLISH_RECORDS}
en_path = I18N / "en_GB.po"
old_en = polib.pofile(str(en_path))
known_en = {entry.msgid: entry.msgstr for entry in old_en if not entry.obsolete and entry.msgstr}
en = polib.POFile()
en.metadata = old_en.metadata
en.header = old_en.header
todo_en = []
for entry in polib.pofile(str(pot_path)):
    # a template's name is the users' label: the customer reads its subject and its body
    records = {
        place.rsplit(":", 1)[-1]
        for place, _line in entry.occurrences
        if not place.startswith("model:mail.template,name:")
    }
    if not records & english_records:
        continue
    entry.msgstr = known_en.get(entry.msgid, "")
    if not entry.msgstr:
        todo_en.append(entry.msgid)
    en.append(entry)
en.save(str(en_path))
for msgid in todo_en:
    print("to write in English (en_GB.po):", repr(msgid))
