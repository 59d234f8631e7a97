"""The pure rules of the customer's page forms, without a database."""

import io
from datetime import date

import pytest
from PIL import Image

from odoo.addons.relance_fr.models.res_partner_portal import TOKEN_RE
from odoo.addons.relance_fr.tools import relance_letter
from odoo.addons.relance_fr.tools import relance_portal as rules

PDF = b"%PDF-1.7\n..."
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "pdf"),
        (JPEG, "jpeg"),
        (PNG, "png"),
        (b"GIF89a", None),
        (b"PK\x03\x04 a zip or a docx", None),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", None),
        (b"MZ\x90\x00", None),  # an executable
        (b" %PDF-1.4", None),  # the signature must open the file
        (b"%PDF", None),  # cut short
        (b"", None),
    ],
)
def test_file_kind_reads_the_first_bytes(data, kind):
    assert rules.file_kind(data) == kind


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (PDF, None),
        (PNG + b"0" * (rules.MAX_UPLOAD_BYTES - len(PNG)), None),  # exactly 10 MB
        (PNG + b"0" * (rules.MAX_UPLOAD_BYTES - len(PNG) + 1), "too_big"),
        (b"hello", "type"),
    ],
)
def test_upload_problem(data, problem):
    assert rules.upload_problem(data) == problem


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-04-30", date(2026, 4, 30)),
        ("30/04/2026", date(2026, 4, 30)),
        (" 2026-04-30 ", date(2026, 4, 30)),
        ("2028-02-29", date(2028, 2, 29)),
        ("2026-02-29", None),
        ("31/04/2026", None),
        ("2026-4-30", None),
        ("30.04.2026", None),
        ("demain", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value, expected):
    assert rules.parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1200", 1200.0),
        ("1 234,56", 1234.56),
        ("1\u202f234,56 €", 1234.56),
        ("1234.5", 1234.5),
        ("0,01", 0.01),
        ("0", None),
        ("-5", None),
        ("1,234", None),  # three decimals
        ("1.234,56", None),  # ambiguous thousands separator
        ("1e3", None),
        ("nan", None),
        ("1000000000", None),
        ("999999999,99", 999999999.99),
        ("", None),
        (None, None),
    ],
)
def test_parse_amount(value, expected):
    assert rules.parse_amount(value) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], []),
        (["3", "1", "3"], [1, 3]),
        (["1", "x"], None),
        (["-1"], None),
        (["1 OR 1=1"], None),
        ([""], None),
        (["12345678901"], None),
    ],
)
def test_parse_ids(values, expected):
    assert rules.parse_ids(values) == expected


def test_clean_text():
    assert rules.clean_text("  Bonjour\r\nMerci  ", 20) == "Bonjour\nMerci"
    assert rules.clean_text(None, 5) == ""
    assert rules.clean_text("x" * 5, 5) == "x" * 5
    assert rules.clean_text("x" * 6, 5) is None


def test_every_confirmation_is_french_and_says_thanks_or_received():
    assert set(rules.DONE) == {"promise", "paid", "dispute", "message", "pay"}
    assert all(text.endswith(".") for text in rules.DONE.values())


@pytest.mark.parametrize(
    ("token", "valid"),
    [
        ("a" * 43, True),
        ("A-_9" * 10 + "abc", True),
        ("a" * 42, False),
        ("a" * 44, False),
        ("a" * 42 + "=", False),
        ("a" * 42 + "/", False),
        ("a" * 42 + "é", False),
    ],
)
def test_token_shape(token, valid):
    assert bool(TOKEN_RE.fullmatch(token)) is valid


def test_qr_code_is_a_png_of_the_url():
    png = relance_letter.qr_png("https://example.fr/relance/" + "a" * 43)
    assert rules.file_kind(png) == "png"
    width, height = Image.open(io.BytesIO(png)).size
    assert width == height > 100
