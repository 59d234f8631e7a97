"""The pure legal rules (limitation, procedure and court, public buyers' single rate) and the
French calendar (public holidays, printed deadlines), without a database."""

from datetime import date

import pytest

from odoo.addons.relance_fr.tools import relance_calendar as cal
from odoo.addons.relance_fr.tools import relance_legal as legal
from odoo.addons.relance_fr.tools import relance_letter


# ----------------------------------------------------------------------
# Limitation (LEGAL-FR §2 bis, §4)
# ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "start", "expected"),
    [
        ("professional", date(2026, 3, 15), date(2031, 3, 15)),  # L110-4: 5 years
        ("consumer", date(2026, 3, 15), date(2028, 3, 15)),  # L218-2: 2 years
        ("professional", date(2024, 2, 29), date(2029, 2, 28)),  # no 29 February in 2029
        # a commune: 31 December of the fourth year after the invoice's year (loi 68-1250)
        ("public", date(2026, 10, 31), date(2030, 12, 31)),
        ("public", date(2026, 1, 1), date(2030, 12, 31)),
    ],
)
def test_limitation_from_the_start(kind, start, expected):
    assert legal.limitation(kind, start) == (expected, "start", start)


def test_limitation_without_a_start():
    assert legal.limitation("professional", None) is None
    assert legal.limitation("public", False, claims=[date(2026, 5, 1)]) is None


def test_an_acknowledgment_starts_it_again():
    # a part payment on 10 June 2027, then a payment plan agreed on 1 February 2028 (C. civ. 2240)
    assert legal.limitation(
        "consumer", date(2026, 3, 15), acknowledgments=[date(2028, 2, 1), date(2027, 6, 10)]
    ) == (date(2030, 2, 1), "acknowledgment", date(2028, 2, 1))


def test_an_acknowledgment_after_the_limitation_revives_nothing():
    assert legal.limitation("consumer", date(2026, 3, 15), acknowledgments=[date(2028, 3, 16)]) == (
        date(2028, 3, 15),
        "start",
        date(2026, 3, 15),
    )
    # nor one dated before the start (a payment on account before the delivery)
    early = legal.limitation("professional", date(2026, 3, 15), acknowledgments=[date(2026, 1, 5)])
    assert early[1] == "start"


def test_a_public_buyer_claim_starts_it_again_on_the_next_first_of_january():
    start = date(2026, 10, 31)
    assert legal.limitation("public", start, claims=[date(2026, 12, 10)]) == (
        date(2030, 12, 31),
        "claim",
        date(2026, 12, 10),
    )
    assert legal.limitation("public", start, claims=[date(2027, 1, 20), date(2029, 6, 1)]) == (
        date(2033, 12, 31),
        "claim",
        date(2029, 6, 1),
    )


def test_claims_do_not_interrupt_between_private_parties():
    # a formal notice is no act of C. civ. 2240-2244
    assert legal.limitation("professional", date(2026, 3, 15), claims=[date(2027, 1, 1)])[1] == "start"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((True, True, True), "public"),  # a public buyer first, whatever the other flags
        ((False, True, True), "commercial"),
        ((False, False, True), "professional"),  # a dentist, a vet, an association
        ((False, False, False), "consumer"),
    ],
)
def test_debtor_kind(args, expected):
    assert legal.debtor_kind(*args) == expected


def test_limitation_kind():
    assert legal.limitation_kind("public") == "public"
    assert legal.limitation_kind("consumer") == "consumer"
    assert legal.limitation_kind("commercial") == "professional"
    assert legal.limitation_kind("professional") == "professional"


# ----------------------------------------------------------------------
# Procedures and courts (LEGAL-FR §2 bis, §6)
# ----------------------------------------------------------------------
DAY = date(2026, 5, 15)


@pytest.mark.parametrize(
    ("principal", "interest", "debtor", "city", "expected"),
    [
        (1384.56, 20.0, "commercial", "Villeurbanne", ("small_claims", "commerce")),
        (5000.0, 0.0, "commercial", "Lyon", ("small_claims", "activites_economiques")),
        # the cap counts principal and interest (CPCE R125-1)
        (4900.0, 100.01, "commercial", "Lyon", ("injunction", "activites_economiques")),
        (4900.0, 100.0, "commercial", "Grenoble", ("small_claims", "commerce")),
        (12000.0, 300.0, "commercial", "Grenoble", ("injunction", "commerce")),
        (12000.0, 300.0, "professional", "Lyon", ("injunction", "judiciaire")),  # a dentist
        (12000.0, 0.0, "consumer", "Paris", ("injunction", "judiciaire")),
        # a commune: never small claims nor an injunction, the administrative court
        (900.0, 10.0, "public", "Villeurbanne", ("administrative", "administratif")),
        (90000.0, 10.0, "public", "Lyon", ("administrative", "administratif")),
        (0.0, 0.0, "commercial", "Lyon", ("injunction", "activites_economiques")),  # nothing left
    ],
)
def test_suggested_procedure(principal, interest, debtor, city, expected):
    assert legal.suggested_procedure(principal, interest, debtor, city, DAY) == expected


@pytest.mark.parametrize(
    ("city", "day", "expected"),
    [
        ("Lyon", DAY, True),
        ("LYON CEDEX 03", DAY, True),
        ("Lyon 2e", DAY, True),
        ("Saint-Brieuc", DAY, True),
        ("SAINT BRIEUC", DAY, True),
        ("Le Havre", DAY, True),
        ("Paris 15", DAY, True),
        ("Villeurbanne", DAY, False),
        ("Grenoble", DAY, False),
        ("", DAY, False),
        ("Lyon", date(2024, 12, 31), False),  # before the trial
        ("Lyon", date(2029, 1, 1), False),  # after it
        ("Lyon", None, True),
    ],
)
def test_tae_sits(city, day, expected):
    assert legal.tae_sits(city, day) is expected


def test_court():
    assert legal.court("public", "Lyon", DAY) == "administratif"
    assert legal.court("commercial", "Marseille", DAY) == "activites_economiques"
    assert legal.court("commercial", "Toulouse", DAY) == "commerce"
    assert legal.court("professional", "Marseille", DAY) == "judiciaire"
    assert legal.court("consumer", "Marseille", DAY) == "judiciaire"


# ----------------------------------------------------------------------
# Public buyers: one rate for the whole delay (CCP R2192-31)
# ----------------------------------------------------------------------
ECB = [(date(2026, 1, 1), 2.15), (date(2026, 7, 1), 2.40), (date(2027, 1, 1), 2.65)]


def test_public_rate_is_that_of_the_half_year_interest_began():
    assert legal.public_rate(date(2026, 11, 1), ECB) == pytest.approx(10.40)
    assert legal.public_rate(date(2026, 3, 2), ECB) == pytest.approx(10.15)
    assert legal.public_rate(date(2027, 1, 1), ECB) == pytest.approx(10.65)
    assert legal.public_rate(date(2025, 12, 31), ECB) is None  # no row: said, never guessed


# ----------------------------------------------------------------------
# French calendar
# ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
    ],
)
def test_easter(year, expected):
    assert cal.easter(year) == expected


def test_public_holidays_2026():
    holidays = cal.public_holidays(2026)
    assert len(holidays) == 11
    assert {date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)} <= holidays  # Easter Monday, Ascension
    assert date(2026, 11, 11) in holidays
    assert date(2026, 4, 3) not in holidays  # Good Friday: Alsace-Moselle only


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 12, 4), 15, date(2026, 12, 21)),  # Saturday 19 December -> Monday 21
        (date(2026, 12, 10), 15, date(2026, 12, 28)),  # Friday 25 December (Noël), then a weekend
        (date(2026, 4, 20), 15, date(2026, 5, 5)),  # a Tuesday: kept
        (date(2026, 4, 16), 15, date(2026, 5, 4)),  # Friday 1 May, then a weekend
        (date(2026, 10, 27), 15, date(2026, 11, 12)),  # Wednesday 11 November
        (None, 15, None),
    ],
)
def test_deadline_moves_to_the_next_working_day(start, days, expected):
    assert cal.deadline(start, days) == expected


def test_working_days():
    assert cal.is_working_day(date(2026, 12, 4))  # a Friday
    assert not cal.is_working_day(date(2026, 12, 5))
    assert not cal.is_working_day(date(2026, 7, 14))
    assert cal.next_working_day(date(2026, 7, 14)) == date(2026, 7, 15)


@pytest.mark.parametrize(
    ("title", "name", "person", "expected"),
    [
        ("Madame", "Claire Martin", True, ("Madame Martin,", "Madame")),
        ("Monsieur", "Jean de La Fontaine", True, ("Monsieur de La Fontaine,", "Monsieur")),
        ("Docteur", "Roux", True, ("Docteur Roux,", "Docteur")),
        ("", "Marie  Durand", True, ("Bonjour Marie Durand,", "Madame, Monsieur")),
        ("", "", True, ("Madame, Monsieur,", "Madame, Monsieur")),
        ("Madame", "Boulangerie Martin SARL", False, ("Madame, Monsieur,", "Madame, Monsieur")),
    ],
)
def test_salutation(title, name, person, expected):
    assert legal.salutation(title, name, person) == expected


def test_company_mentions():
    assert legal.company_mentions(
        "Atelier Dupont SAS",
        "SAS",
        "50 000 €",
        "Lyon",
        "732 829 320",
        "12 rue de la République 69002 Lyon",
        vat="FR44732829320",
    ) == [
        "Atelier Dupont SAS – SAS au capital de 50 000 € – Siège social : 12 rue de la République 69002 Lyon",
        "RCS Lyon 732 829 320 – N° TVA intracommunautaire FR44732829320",
    ]
    # a capital already in the legal form is not said twice; without the city, the SIREN alone
    assert legal.company_mentions("X", "SARL au capital de 1 000 €", "1 000 €", "", "123 456 789", "") == [
        "X – SARL au capital de 1 000 €",
        "SIREN 123 456 789",
    ]


def test_missing_mentions():
    assert legal.missing_mentions("SAS", "50 000 €", "Lyon", "732 829 320", "Lyon") == []
    assert legal.missing_mentions("SAS au capital de 10 €", "", "Lyon", "732 829 320", "Lyon") == []
    everything = ["legal_form", "capital", "rcs_city", "siren", "office"]
    assert legal.missing_mentions("", "", "", "", "") == everything


@pytest.mark.parametrize(
    ("registry", "expected"),
    [
        ("RCS Lyon 732 829 320", "Lyon"),
        ("R.C.S. Saint-Étienne B 732 829 320", "Saint-Étienne"),
        ("732 829 320", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_registry_city(registry, expected):
    assert legal.registry_city(registry) == expected


def test_plan_break_date_gives_a_consumer_fifteen_days_from_the_notice():
    due = date(2026, 5, 20)
    assert legal.plan_break_date(due, 15) == date(2026, 6, 4)
    assert legal.plan_break_date(due, 15, consumer=True) is None  # no notice yet: no end
    assert legal.plan_break_date(due, 15, consumer=True, notice_on=date(2026, 5, 21)) == date(2026, 6, 5)
    assert legal.plan_break_date(due, 30, consumer=True, notice_on=date(2026, 5, 21)) == date(2026, 6, 19)


def test_plan_broken():
    due = date(2026, 5, 20)
    late = [(due, "late", None)]
    assert legal.plan_broken(late, date(2026, 6, 5), 15)
    assert not legal.plan_broken(late, date(2026, 6, 4), 15)
    assert not legal.plan_broken(late, date(2026, 9, 1), 15, consumer=True)  # never noticed
    noticed = [(due, "late", date(2026, 5, 21))]
    assert not legal.plan_broken(noticed, date(2026, 6, 5), 15, consumer=True)
    assert legal.plan_broken(noticed, date(2026, 6, 6), 15, consumer=True)
    assert not legal.plan_broken([(due, "paid", date(2026, 5, 21))], date(2026, 9, 1), 15, consumer=True)


US_FORMAT = "%(street)s\n%(street2)s\n%(city)s %(state_code)s %(zip)s\n%(country_name)s"


def test_a_us_address_in_its_own_format_with_its_state():
    lines = relance_letter.foreign_postal_lines(
        "Golden Gate Imports Inc.",
        "",
        US_FORMAT,
        {"street": "500 Howard Street", "city": "San Francisco", "zip": "94105", "state_code": "CA"},
        "États-Unis",
    )
    assert lines == ["Golden Gate Imports Inc.", "500 Howard Street", "SAN FRANCISCO CA 94105", "ETATS-UNIS"]


def test_a_british_address_and_a_bad_format():
    gb = "%(street)s\n%(street2)s\n%(city)s\n%(state_name)s\n%(zip)s\n%(country_name)s"
    lines = relance_letter.foreign_postal_lines(
        "Thames Tea Ltd",
        "À l'attention de Mr Smith",
        gb,
        {"street": "1 King's Road", "city": "London", "zip": "SW3 4RP"},
        "Royaume-Uni",
    )
    assert lines == [
        "Thames Tea Ltd",
        "À l'attention de Mr Smith",
        "1 King's Road",
        "LONDON",
        "SW3 4RP",
        "ROYAUME-UNI",
    ]
    # a format with a typo loses its bad line, never the letter
    assert relance_letter.foreign_postal_lines(
        "X", "", "%(street)s\n%(city", {"street": "1 rue"}, "Belgique"
    ) == [
        "X",
        "1 rue",
        "BELGIQUE",
    ]


def test_missing_rates_a_month_ahead():
    tables = {"ecb": ECB[:2], "legal_pro": [(date(2026, 7, 1), 2.75)]}
    assert legal.missing_rates(date(2026, 11, 30), tables) == []  # 32 days before 1 January
    assert legal.missing_rates(date(2026, 12, 1), tables) == [
        (date(2027, 1, 1), "ecb"),
        (date(2027, 1, 1), "legal_pro"),
    ]
    assert legal.missing_rates(date(2027, 1, 2), {"ecb": ECB}) == []
    assert legal.missing_rates(date(2026, 3, 1), {"legal_pro": [(date(2026, 7, 1), 2.75)]}) == [
        (date(2026, 1, 1), "legal_pro")
    ]


def test_interest_on_the_balance_actually_outstanding():
    def rate(_day):
        return 12.15

    # 250 € due on 10 April, 100 € paid on 2 May: 250 € for 21 days, then 150 € for 14 days
    interest, details, missing = legal.interest_on_balances(
        150.0, [(date(2026, 5, 2), 100.0)], date(2026, 4, 10), date(2026, 5, 15), rate
    )
    assert details == [
        (date(2026, 4, 11), date(2026, 5, 1), 21, 12.15, 250.0),
        (date(2026, 5, 2), date(2026, 5, 15), 14, 12.15, 150.0),
    ]
    assert interest == round(250 * 0.1215 * 21 / 365 + 150 * 0.1215 * 14 / 365, 2) == 2.45
    assert missing == []
    # a payment before the due date changes nothing; one after the date of the claim is still owed then
    assert legal.interest_on_balances(
        100.0, [(date(2026, 4, 1), 50.0)], date(2026, 4, 10), date(2026, 5, 10), rate
    )[1] == [(date(2026, 4, 11), date(2026, 5, 10), 30, 12.15, 100.0)]
    assert legal.interest_on_balances(
        0.0, [(date(2026, 6, 1), 80.0)], date(2026, 4, 10), date(2026, 5, 10), rate
    )[1] == [(date(2026, 4, 11), date(2026, 5, 10), 30, 12.15, 80.0)]


def test_interest_on_balances_across_half_years_and_missing_rates():
    def rate(day):
        return None if day >= date(2027, 1, 1) else 10.0

    interest, details, missing = legal.interest_on_balances(
        1000.0, [(date(2026, 12, 1), 500.0)], date(2026, 6, 30), date(2027, 1, 31), rate
    )
    assert [(d[0], d[1], d[4]) for d in details] == [
        (date(2026, 7, 1), date(2026, 11, 30), 1500.0),
        (date(2026, 12, 1), date(2026, 12, 31), 1000.0),
    ]
    assert missing == [date(2027, 1, 1)]
    assert interest == round(1500 * 0.10 * 153 / 365 + 1000 * 0.10 * 31 / 365, 2)
