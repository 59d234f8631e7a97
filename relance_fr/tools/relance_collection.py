"""Pure rules of the collection file and of the payment-term cap (LEGAL-FR §1): no database,
plain values in, plain values out. Limitation, procedures and courts: tools/relance_legal.py."""

import calendar
import csv
import io
import re
from datetime import date, timedelta

PRESCRIPTION_NOTICE_DAYS = 90
PAYMENT_TERM_CAP_DAYS = 60  # Code de commerce L441-10 I: 60 days from the invoice date


def add_years(day, years):
    """``day`` moved by ``years`` years; 29 February becomes 28 February in a common year."""
    last = calendar.monthrange(day.year + years, day.month)[1]
    return day.replace(year=day.year + years, day=min(day.day, last))


def prescription_notice_due(prescription, today, notice_days=PRESCRIPTION_NOTICE_DAYS):
    """True from ``notice_days`` before the limitation date until it passes."""
    if not prescription:
        return False
    return prescription - timedelta(days=notice_days) <= today <= prescription


def payment_term_excess(invoice_date, due_date, cap_days=PAYMENT_TERM_CAP_DAYS):
    """Days by which a due date exceeds the legal cap counted from the invoice date (0 when it
    does not, or when a date is missing)."""
    if not invoice_date or not due_date:
        return 0
    return max((due_date - invoice_date).days - cap_days, 0)


def siren(registry=None, siret=None, vat=None):
    """The 9-digit SIREN of a French company, formatted ``123 456 789``, from its company
    registry (SIREN or RCS mention), its SIRET (14 digits) or its French VAT number
    (``FR`` + 2 characters + SIREN); empty when none gives one."""
    candidates = [_siren_digits(registry), _siren_digits(siret)]
    compact = re.sub(r"\s", "", vat or "").upper()
    if re.fullmatch(r"FR[0-9A-Z]{2}\d{9}", compact):
        candidates.append(compact[4:])
    for number in candidates:
        if len(number) == 9:
            return f"{number[:3]} {number[3:6]} {number[6:]}"
    return ""


def _siren_digits(text):
    """The SIREN in a registry mention or a SIRET: its 9 digits, or the first 9 of 14."""
    digits = re.sub(r"\D", "", text or "")
    return digits[:9] if len(digits) == 14 else digits


def csv_amount(value, decimals=2):
    """An amount as French spreadsheets read it: ``-1234,56`` (decimal comma, no grouping)."""
    return f"{value:.{decimals}f}".replace(".", ",")


def csv_date(day):
    return day.strftime("%d/%m/%Y") if isinstance(day, date) else ""


def entries_csv(header, rows):
    """A CSV file (bytes) of ``rows`` under ``header``: UTF-8 with a byte order mark, so that
    French spreadsheets see the accents, ``;``-separated, one line per row; dates and floats
    written the French way."""
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [
                csv_amount(cell)
                if isinstance(cell, float)
                else csv_date(cell)
                if isinstance(cell, date)
                else ("" if cell is None or cell is False else cell)
                for cell in row
            ]
        )
    return stream.getvalue().encode("utf-8-sig")
