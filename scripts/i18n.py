"""Bring relance_fr's .pot and fr.po in step with the code (a developer's tool).

Usage: .venv/bin/python scripts/i18n.py DB
DB must have relance_fr installed from this checkout (scripts/ensure_db.sh DB ...). Re-exports
the .pot the way `odoo-bin --i18n-export` does, then rewrites fr.po from it: every term keeps
its French translation, takes the code's places, and terms no longer in the code are dropped.
Prints the terms still to translate (left empty in fr.po: the translation test fails on them).
"""

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "relance_fr" / "i18n"
ODOO = Path(__import__("os").environ.get("ODOO_SRC", "/opt/odoo/18.0")) / "odoo-bin"

db = sys.argv[1]
pot_path = I18N / "relance_fr.pot"
subprocess.run(
    [
        sys.executable,
        str(ODOO),
        "-c",
        str(ROOT / "var" / __import__("os").environ.get("ODOO_CONF", "odoo.conf")),
        "-d",
        db,
        "--stop-after-init",
        "--no-http",
        "--log-level=warn",
        f"--i18n-export={pot_path}",
        "--modules=relance_fr",
    ],
    check=True,
)
pot = polib.pofile(str(pot_path))
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
