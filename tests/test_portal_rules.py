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


@pytest.mark.parametrize(
    ("amount", "balance", "problem"),
    [
        (0.01, 1200.0, None),
        (1200.0, 1200.0, None),
        (1212.0, 1200.0, None),  # 1 % of bank fees
        (1212.01, 1200.0, "too_big"),
        (999999999.99, 1871.0, "too_big"),
        (0.0, 1200.0, "too_small"),
        (0.001, 1200.0, "too_small"),
        (-5.0, 1200.0, "too_small"),
        (0.01, 0.0, "too_big"),  # nothing owed: nothing to declare
    ],
)
def test_paid_amount_problem(amount, balance, problem):
    assert rules.paid_amount_problem(amount, balance) == problem


@pytest.mark.parametrize(
    ("day", "too_old"),
    [
        (date(2026, 6, 15), False),
        (date(2025, 6, 15), False),  # 365 days: still within the year
        (date(2025, 6, 14), True),
        (date(1, 1, 1), True),
    ],
)
def test_paid_date_too_old(day, too_old):
    assert rules.paid_date_too_old(day, date(2026, 6, 15)) is too_old


@pytest.mark.parametrize(
    ("last_sent", "days", "expired"),
    [
        (date(2026, 1, 1), 180, False),
        (date(2025, 12, 17), 180, False),  # 180 days ago: the last day
        (date(2025, 12, 16), 180, True),
        (None, 180, False),  # a link from before expiry existed: not until its next message
        (date(2020, 1, 1), 0, False),  # 0: never expires
    ],
)
def test_link_expired(last_sent, days, expired):
    assert rules.link_expired(last_sent, date(2026, 6, 15), days) is expired


@pytest.mark.parametrize(
    ("kind", "by_token", "by_address", "over"),
    [
        ("form", 9, 29, False),
        ("form", 10, 0, True),
        ("form", 0, 30, True),
        ("download", 29, 59, False),
        ("download", 30, 0, True),
        ("pay", 10, 0, True),
        ("renew", 3, 0, True),
        ("renew", 0, 9, False),
    ],
)
def test_over_limit(kind, by_token, by_address, over):
    assert rules.over_limit(kind, by_token, by_address) is over


def test_redact_links_kills_every_token_and_nothing_else():
    token = "a" * 20 + "B-_" + "9" * 20
    html = (
        f'<a href="https://erp.example.fr/relance/{token}">https://erp.example.fr/relance/{token}</a> '
        f'<a href="https://erp.example.fr/relance/{token}/invoice/12">PDF</a> /relance/compte /relance/short'
    )
    redacted = rules.redact_links(html)
    assert token not in redacted
    assert redacted.count("/relance/lien-personnel-masque") == 3
    assert "/relance/lien-personnel-masque/invoice/12" in redacted
    assert "/relance/compte /relance/short" in redacted
    assert rules.redact_links(redacted) == redacted
    assert rules.redact_links(f"/relance/{token}x") == f"/relance/{token}x"  # not a token: longer


def test_parse_ids_refuses_ids_beyond_the_database_integer():
    assert rules.parse_ids(["2147483647"]) == [2147483647]
    assert rules.parse_ids(["2147483648"]) is None
    assert rules.parse_ids(["9999999999"]) is None
