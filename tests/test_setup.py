"""scripts/setup.sh refuses an Odoo tree it cannot run on, with a clear message, before it
installs or writes anything (no venv, no configuration)."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fake_tree(base, version, *extra_dirs):
    """A directory shaped like an Odoo source tree of ``version``."""
    tree = base / "odoo-src"
    (tree / "odoo").mkdir(parents=True)
    (tree / "addons" / "account").mkdir(parents=True)
    (tree / "odoo-bin").write_text("#!/usr/bin/env python3\n")
    (tree / "odoo" / "release.py").write_text(f"version_info = ({version}, 0, 0, FINAL, 0, '')\n")
    for directory in extra_dirs:
        (tree / directory).mkdir(parents=True)
    return tree


def setup(tmp_path, odoo_src):
    env = {**os.environ, "ODOO_SRC": str(odoo_src), "VENV": str(tmp_path / "venv")}
    env.pop("ODOO_VERSION", None)
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "setup.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_refused(tmp_path, result, message):
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stderr
    assert not (tmp_path / "venv").exists()


def test_odoo_17_is_refused(tmp_path):
    result = setup(tmp_path, fake_tree(tmp_path, 17))
    assert_refused(tmp_path, result, "is Odoo 17.0: relance_fr runs on Odoo 18.0 and 19.0 only.")
    assert not (ROOT / "var" / "odoo-17.0.conf").exists()


def test_a_tree_that_is_not_odoo_is_refused(tmp_path):
    (tmp_path / "src" / "addons").mkdir(parents=True)
    result = setup(tmp_path, tmp_path / "src")
    assert_refused(tmp_path, result, "no Odoo source tree at ODOO_SRC=")


def test_a_release_file_without_version_is_refused(tmp_path):
    tree = fake_tree(tmp_path, 19)
    (tree / "odoo" / "release.py").write_text("# not Odoo's\n")
    result = setup(tmp_path, tree)
    assert_refused(tmp_path, result, "gives no Odoo version: not an Odoo source tree.")


def test_enterprise_modules_on_the_addons_path_are_refused(tmp_path):
    result = setup(tmp_path, fake_tree(tmp_path, 19, "addons/web_enterprise"))
    assert_refused(tmp_path, result, "holds Odoo enterprise modules (addons/web_enterprise)")
    assert "relance_fr is built and\ntested on Odoo community only" in result.stderr
