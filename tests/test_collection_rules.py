"""The pure rules of the collection file and of the legal deadlines, without a database."""

import codecs
import csv
import io
from datetime import date

import pytest

from odoo.addons.relance_fr.tools import relance_collection as rules


def test_add_years_keeps_the_day_when_it_exists():
    assert rules.add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert rules.add_years(date(2026, 12, 31), 5) == date(2031, 12, 31)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2027, 12, 31), False),  # 91 days before
        (date(2028, 1, 1), True),  # 90 days before 31 March 2028
        (date(2028, 3, 31), True),  # the last day
        (date(2028, 4, 1), False),  # passed: too late for a warning
    ],
)
def test_prescription_notice_due(today, expected):
    assert rules.prescription_notice_due(date(2028, 3, 31), today) is expected


def test_prescription_notice_without_a_date_or_with_another_notice():
    assert rules.prescription_notice_due(None, date(2026, 1, 1)) is False
    assert rules.prescription_notice_due(date(2028, 3, 31), date(2028, 3, 1), notice_days=30)
    assert not rules.prescription_notice_due(date(2028, 3, 31), date(2028, 2, 29), notice_days=30)


@pytest.mark.parametrize(
    ("invoice_date", "due", "expected"),
    [
        (date(2026, 3, 1), date(2026, 4, 30), 0),  # 60 days: the cap itself
        (date(2026, 3, 1), date(2026, 5, 1), 1),
        (date(2026, 3, 1), date(2026, 5, 30), 30),  # a 90-day term
        (date(2026, 3, 1), date(2026, 3, 1), 0),
        (None, date(2026, 5, 30), 0),
        (date(2026, 3, 1), None, 0),
    ],
)
def test_payment_term_excess(invoice_date, due, expected):
    assert rules.payment_term_excess(invoice_date, due) == expected


def test_payment_term_excess_with_a_sector_cap():
    assert rules.payment_term_excess(date(2026, 3, 1), date(2026, 4, 30), cap_days=30) == 30


@pytest.mark.parametrize(
    ("registry", "siret", "vat", "expected"),
    [
        ("732829320", None, None, "732 829 320"),
        ("732 829 320", None, None, "732 829 320"),
        ("RCS Lyon 732 829 320", None, None, "732 829 320"),
        ("73282932000074", None, None, "732 829 320"),  # a SIRET typed as registry
        (None, "732 829 320 00074", None, "732 829 320"),
        (None, None, "FR44732829320", "732 829 320"),
        (None, None, "FR 44 732 829 320", "732 829 320"),
        (None, None, "BE0477472701", ""),  # not French: no SIREN in it
        ("12345", None, None, ""),
        (None, "1234", None, ""),
        (None, None, None, ""),
        ("", "", "", ""),
    ],
)
def test_siren(registry, siret, vat, expected):
    assert rules.siren(registry, siret, vat) == expected


def test_siren_prefers_the_registry():
    assert rules.siren("552 100 554", None, "FR44732829320") == "552 100 554"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1234.56, "1234,56"), (-100.0, "-100,00"), (0.0, "0,00"), (0.005, "0,01"), (40.0, "40,00")],
)
def test_csv_amount(value, expected):
    assert rules.csv_amount(value) == expected


def test_entries_csv_reads_back_in_a_french_spreadsheet():
    data = rules.entries_csv(
        ["Type", "Pièce", "Date", "Montant", "Jours"],
        [
            ["Facture", "FAC/2026/00001", date(2026, 3, 1), 1234.56, 45],
            ["Règlement", "BNK1/2026/00002", date(2026, 5, 2), -100.0, None],
        ],
    )
    assert data.startswith(codecs.BOM_UTF8)
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "Type;Pièce;Date;Montant;Jours"
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1] == ["Facture", "FAC/2026/00001", "01/03/2026", "1234,56", "45"]
    assert rows[2] == ["Règlement", "BNK1/2026/00002", "02/05/2026", "-100,00", ""]


def test_entries_csv_quotes_a_separator_in_a_label():
    text = rules.entries_csv(["Libellé"], [["Acompte; solde"]]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text), delimiter=";"))[1] == ["Acompte; solde"]
