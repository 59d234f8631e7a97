"""French legal rules of the claim itself (LEGAL-FR §2 bis, §4, §6): limitation, procedure and
court, the single rate of public buyers. No database: plain values in, plain values out."""

import re
import unicodedata
from datetime import date, timedelta

from .relance_collection import add_years
from .relance_rules import half_year_start, interest_periods, rate_on

LIMITATION_YEARS = {
    "professional": 5,  # Code de commerce L110-4
    "consumer": 2,  # Code de la consommation L218-2
}
PUBLIC_LIMITATION_YEARS = 4  # loi n° 68-1250 du 31 décembre 1968, art. 1
SMALL_CLAIMS_MAX = 5000.0  # CPCE L125-1, R125-1: principal and interest, at most 5 000 €
# Tribunaux des activités économiques, trial of 1 January 2025 to 31 December 2028
# (loi n° 2023-1059 art. 26, arrêté du 5 juillet 2024): the 12 sites
TAE_SITES = (
    "AVIGNON",
    "AUXERRE",
    "LE HAVRE",
    "LE MANS",
    "LIMOGES",
    "LYON",
    "MARSEILLE",
    "NANCY",
    "NANTERRE",
    "PARIS",
    "SAINT-BRIEUC",
    "VERSAILLES",
)
TAE_START, TAE_END = date(2025, 1, 1), date(2028, 12, 31)


def limitation(kind, start, acknowledgments=(), claims=()):
    """``(last day, basis, basis date)`` of the creditor's action.

    ``kind``: ``professional`` (5 years, L110-4 C. com.), ``consumer`` (2 years, L218-2 C. conso)
    or ``public`` (prescription quadriennale: 31 December of the fourth year after the year of
    ``start``, loi 68-1250 art. 1). ``start`` is the delivery or completion date, else the
    invoice date (Cass. com. 26/02/2020 n° 18-25.036). An acknowledgment by the debtor (a part
    payment, a payment plan it agreed: C. civ. 2240) made before the period ran out starts it
    again from its date; for a public buyer, a written claim it received, or a payment,
    starts it again from 1 January of the next year (loi 68-1250 art. 2). ``basis`` is
    ``start``, ``acknowledgment`` or ``claim``. None without a start.
    """
    if not start:
        return None
    events = sorted(
        [(day, "acknowledgment") for day in acknowledgments if day]
        + ([(day, "claim") for day in claims if day] if kind == "public" else [])
    )
    basis, basis_date = "start", start
    end = _limitation_end(kind, start)
    for day, what in events:
        if basis_date < day <= end:
            basis, basis_date = what, day
            end = _limitation_end(kind, day)
    return end, basis, basis_date


def _limitation_end(kind, day):
    if kind == "public":
        return date(day.year + PUBLIC_LIMITATION_YEARS, 12, 31)
    return add_years(day, LIMITATION_YEARS[kind])


def debtor_kind(public_buyer, commercial, professional):
    """``public``, ``commercial`` (merchant, commercial company, artisan), ``professional``
    (liberal profession, association...) or ``consumer``."""
    if public_buyer:
        return "public"
    if commercial:
        return "commercial"
    return "professional" if professional else "consumer"


def limitation_kind(debtor):
    """Which limitation applies to a ``debtor_kind``."""
    return {"public": "public", "consumer": "consumer"}.get(debtor, "professional")


def court(debtor, city="", day=None):
    """The court of a claim against ``debtor`` (a ``debtor_kind``), whose domicile is ``city``,
    on ``day``: a public buyer goes before the tribunal administratif (CCP L6, CJA R541-1); a
    merchant, commercial company or artisan before the tribunal des activités économiques where
    one sits during its trial, else the tribunal de commerce (C. com. L721-3); anyone else
    before the tribunal judiciaire (CPC 1405)."""
    if debtor == "public":
        return "administratif"
    if debtor == "commercial":
        return "activites_economiques" if tae_sits(city, day) else "commerce"
    return "judiciaire"


def tae_sits(city, day=None):
    """True when a tribunal des activités économiques sits in ``city`` on ``day`` (an estimate
    by the debtor's city: the court's district is wider than the city)."""
    if day and not TAE_START <= day <= TAE_END:
        return False
    name = unicodedata.normalize("NFKD", city or "")
    name = "".join(c for c in name if not unicodedata.combining(c)).upper()
    name = re.sub(r"\s*\bCEDEX\b.*$", "", name)
    name = re.sub(r"\s+\d+(ER|E)?$", "", re.sub(r"[\s-]+", " ", name).strip())  # Lyon 2e, Paris 15
    return name.replace(" ", "-") in {site.replace(" ", "-") for site in TAE_SITES}


def suggested_procedure(principal, interest, debtor, city="", day=None):
    """``(procedure, court)`` suggested for a claim of ``principal`` with ``interest`` against
    ``debtor``: a public buyer, the référé-provision before the administrative court (never
    small claims or an injunction); otherwise the simplified procedure for small claims when
    principal and interest are at most 5 000 € (CPCE R125-1), else an injunction to pay."""
    if debtor == "public":
        return "administrative", "administratif"
    total = round((principal or 0.0) + (interest or 0.0), 2)
    procedure = "small_claims" if 0 < principal and total <= SMALL_CLAIMS_MAX else "injunction"
    return procedure, court(debtor, city, day)


def public_rate(start, ecb_table, points=8.0):
    """The single rate of a public buyer's late-payment interest (CCP R2192-31): the ECB main
    refinancing rate in force on the first day of the half-year in which the interest began to
    run (``start``), + ``points``, for the whole delay. None when that row is missing.
    ``ecb_table`` is ``[(date_from, rate)]``."""
    ecb = rate_on(ecb_table, start)
    return None if ecb is None else ecb + points


def salutation(title, name, person):
    """``(salutation, civility)`` of a message: a person with a known title is greeted by it and
    their surname (``Madame Martin,``; closing ``Madame``), a person without title by name
    (``Bonjour Marie Martin,``), and ``Madame, Monsieur,`` only when nothing is known (a company
    without a contact). ``title`` is the French title (``Madame``, ``Monsieur``, ``Docteur``…)."""
    name = " ".join((name or "").split()) if person else ""
    if name and title:
        words = name.split(" ")
        surname = " ".join(words[1:]) if len(words) > 1 else name
        return f"{title} {surname},", title
    if name:
        return f"Bonjour {name},", "Madame, Monsieur"
    return "Madame, Monsieur,", "Madame, Monsieur"


def registry_city(registry):
    """The city of an ``RCS <city> <number>`` mention typed in the company registry, else ''."""
    found = re.search(r"\bR\.?C\.?S\.?\s+([^\d]+?)\s*(?:[AB]\s+)?\d", registry or "", re.IGNORECASE)
    return found.group(1).strip() if found else ""


def company_mentions(name, legal_form, capital, rcs_city, siren, office, siret="", vat=""):
    """The mentions every business letter, schedule and statement carries (C. com. R123-237,
    R123-238): ``[name – legal form au capital de … – Siège social : …, RCS <city> <SIREN> –
    SIRET – VAT number]``. ``capital`` is the formatted amount, left out when the legal form
    already states it."""
    form = legal_form or ""
    if capital and "capital" not in form.lower():
        form = f"{form} au capital de {capital}".strip()
    registry = f"RCS {rcs_city} {siren}" if rcs_city and siren else (f"SIREN {siren}" if siren else "")
    return [
        " – ".join(filter(None, [name, form, office and f"Siège social : {office}"])),
        " – ".join(
            filter(None, [registry, siret and f"SIRET {siret}", vat and f"N° TVA intracommunautaire {vat}"])
        ),
    ]


def missing_mentions(legal_form, capital, rcs_city, siren, office):
    """Which of the mentions of R123-237 are unknown: ``legal_form``, ``capital``, ``rcs_city``,
    ``siren``, ``office`` (a capital stated in the legal form counts)."""
    missing = []
    if not legal_form:
        missing.append("legal_form")
    if not capital and "capital" not in (legal_form or "").lower():
        missing.append("capital")
    if not rcs_city:
        missing.append("rcs_city")
    if not siren:
        missing.append("siren")
    if not office:
        missing.append("office")
    return missing


CONSUMER_PLAN_NOTICE_DAYS = 15  # Cass. 1re civ. 22/03/2023 n° 21-16.044: a prior notice, a reasonable delay


def plan_break_date(due_on, break_days, consumer=False, notice_on=None):
    """The last day an instalment due on ``due_on`` may be paid before the plan ends. A
    consumer's plan ends only after a notice (the late reminder, sent on ``notice_on``) giving it
    at least 15 days: None while no notice was sent."""
    last = due_on + timedelta(days=max(break_days or 0, 0))
    if not consumer:
        return last
    if not notice_on:
        return None
    return max(last, notice_on + timedelta(days=CONSUMER_PLAN_NOTICE_DAYS))


def plan_broken(lines, today, break_days, consumer=False):
    """Whether a plan ends today: an instalment unpaid after its break date (see
    ``plan_break_date``). ``lines``: ``[(date, state, notice date or None)]``."""
    for due_on, state, notice_on in lines:
        last = plan_break_date(due_on, break_days, consumer, notice_on)
        if state != "paid" and last is not None and today > last:
            return True
    return False


RATE_WARNING_DAYS = 31  # a month before a half-year, its rates are asked for


def missing_rates(today, tables, ahead_days=RATE_WARNING_DAYS):
    """``[(half-year start, kind)]`` whose rate is missing: the half-year of ``today`` and, from
    ``ahead_days`` before it starts, the next one. ``tables``: ``{kind: [(date_from, rate)]}``."""
    current = half_year_start(today)
    following = date(current.year, 7, 1) if current.month == 1 else date(current.year + 1, 1, 1)
    starts = [current] + ([following] if (following - today).days <= ahead_days else [])
    return [
        (start, kind) for start in starts for kind, table in tables.items() if rate_on(table, start) is None
    ]


def interest_on_balances(balance, payments, due_date, until, rate_for_day):
    """Simple interest on the balance actually outstanding (LEGAL-FR §2): from the day after
    ``due_date`` to ``until``, split by half-year and at each payment, a payment reducing the
    base from its date. ``balance`` is what remains today, ``payments`` ``[(date, amount)]``
    the payments and credits matched with the invoice (those after ``until`` still count in
    the base up to it). ``rate_for_day(day)`` gives the yearly rate in percent, or None.
    Returns ``(interest, [(start, end, days, rate, base)], missing half-year starts)``."""
    later = sorted((day, amount) for day, amount in payments if day and day > due_date)
    cuts = sorted({day for day, _amount in later if day <= until})
    total, details, missing = 0.0, [], []
    for start, end, _days in interest_periods(due_date, until):
        pieces, piece_start = [], start
        for cut in cuts:
            if piece_start < cut <= end:
                pieces.append((piece_start, cut - timedelta(days=1)))
                piece_start = cut
        pieces.append((piece_start, end))
        rate = rate_for_day(start)
        if rate is None:
            missing.append(half_year_start(start))
            continue
        for first, last in pieces:
            base = balance + sum(amount for day, amount in later if day > first)
            days = (last - first).days + 1
            if base <= 0 or days <= 0:
                continue
            total += base * rate / 100.0 * days / 365.0
            details.append((first, last, days, rate, base))
    return round(total, 2), details, missing
