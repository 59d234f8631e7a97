"""Pure rules of the e-invoicing lifecycle statuses: each code's effect on the dunning, when a
status only goes to the history, 206 and 211 arithmetic, the SIREN, and reading CDAR."""

from datetime import date

import pytest

from odoo.addons.relance_fr.tools import relance_einvoice as rules

from .cdar import cdar

D = date.fromisoformat
ALL_CODES = [str(c) for c in range(200, 215)] + ["220", "221"] + [str(c) for c in range(224, 229)]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("200", rules.INFO),
        ("201", rules.INFO),
        ("202", rules.INFO),
        ("203", rules.EVIDENCE),
        ("204", rules.INFO),
        ("205", rules.EVIDENCE),
        ("206", rules.PARTIAL),
        ("207", rules.DISPUTE),
        ("208", rules.PAUSE),
        ("209", rules.RESUME),
        ("210", rules.STOP),
        ("211", rules.PAYMENT_SENT),
        ("212", rules.INFO),  # payments come from the reconciliation, never from a status
        ("213", rules.STOP),
        ("214", rules.INFO),
        ("220", rules.STOP),
        ("221", rules.STOP),
        ("224", rules.INFO),
        ("225", rules.FACTORED),
        ("226", rules.INFO),
        ("227", rules.INFO),
        ("228", rules.INFO),
    ],
)
def test_each_code_has_its_effect(code, expected):
    assert rules.effect(code) == expected
    assert rules.decide(code, D("2026-03-10"), None, False) == expected


def test_every_code_of_the_standard_is_known_and_labelled_in_french():
    assert sorted(rules.LABELS) == ALL_CODES
    assert rules.label("207") == "En litige"
    assert rules.label("211") == "Paiement transmis"
    assert rules.label("999") == ""


@pytest.mark.parametrize("code", ["215", "219", "222", "229", "99", "", None, "abc"])
def test_an_unknown_code_has_no_effect(code):
    assert rules.effect(code) is None


@pytest.mark.parametrize("code", ALL_CODES)
def test_a_status_about_a_paid_invoice_is_history_only(code):
    assert rules.decide(code, D("2026-03-10"), None, True) == rules.HISTORY


@pytest.mark.parametrize(
    ("status_date", "latest", "expected"),
    [
        ("2026-03-09", "2026-03-10", rules.HISTORY),  # older than the latest: history only
        ("2026-03-10", "2026-03-10", rules.DISPUTE),  # the same day: in the order received
        ("2026-03-11", "2026-03-10", rules.DISPUTE),
    ],
)
def test_a_status_older_than_the_latest_is_history_only(status_date, latest, expected):
    assert rules.decide("207", D(status_date), D(latest), False) == expected


@pytest.mark.parametrize(
    ("reason_code", "expected"),
    [
        ("DOUBLON", "duplicate"),
        ("qte_err", "quantity"),
        (" PU_ERR ", "price"),
        ("QUALITE_ERR", "quality"),
        ("CMD_ERR", "order"),
        ("JUSTIF_ABS", "other"),
        ("", "other"),
        (None, "other"),
    ],
)
def test_reason_codes_map_on_dispute_reasons(reason_code, expected):
    assert rules.dispute_reason(reason_code) == expected


@pytest.mark.parametrize(
    ("approved", "total", "residual", "expected"),
    [
        (800.0, 1000.0, 1000.0, (800.0, 200.0)),  # nothing paid: the approved amount
        (800.0, 1000.0, 700.0, (500.0, 200.0)),  # 300 paid: 500 of the approved amount remains
        (800.0, 1000.0, 100.0, (0.0, 200.0)),  # the approved part is paid: nothing to claim
        (1200.0, 1000.0, 1000.0, (1000.0, 0.0)),  # never more than the invoice
        (-5.0, 1000.0, 1000.0, (0.0, 1000.0)),
    ],
)
def test_partial_approval_claims_the_approved_amount_less_payments(approved, total, residual, expected):
    assert rules.partial_amounts(approved, total, residual) == expected


@pytest.mark.parametrize(
    ("today", "held"),
    [
        ("2026-03-09", False),  # before the buyer said it paid
        ("2026-03-10", True),
        ("2026-03-19", True),
        ("2026-03-20", False),  # 10 days later: escalation again
    ],
)
def test_payment_sent_holds_for_the_company_days(today, held):
    assert rules.payment_sent_held(D("2026-03-10"), 10, D(today)) is held
    assert rules.payment_sent_held(None, 10, D(today)) is False


@pytest.mark.parametrize(
    ("last", "today", "recall"),
    [
        (None, "2026-03-19", False),  # still held
        (None, "2026-03-20", True),  # the first message after the hold
        ("2026-03-01", "2026-03-25", True),  # the last message was before the buyer said it paid
        ("2026-03-20", "2026-03-27", False),  # a message after the hold already recalled it
        (None, "2026-03-05", False),  # before the status
    ],
)
def test_payment_sent_is_recalled_once_after_the_hold(last, today, recall):
    assert rules.payment_sent_recall(D("2026-03-10"), 10, last and D(last), D(today)) is recall
    assert rules.payment_sent_recall(None, 10, None, D(today)) is False


@pytest.mark.parametrize(
    ("registry", "siret", "vat", "expected"),
    [
        ("552 100 554", "", "", "552100554"),
        ("RCS Lyon 552 100 554", "", "", "552100554"),
        ("", "55210055400013", "", "552100554"),
        ("", "", "FR 40 552100554", "552100554"),
        ("", "", "BE0477472701", ""),
        ("123", "", "", ""),
        (None, None, None, ""),
    ],
)
def test_siren_from_the_company_identifiers(registry, siret, vat, expected):
    assert rules.siren(registry, siret, vat) == expected


def test_a_cdar_message_is_read_status_by_status():
    data = cdar(
        "CDV-2026-0001",
        "FA2026/0042",
        "20260301",
        "206",
        "20260310",
        reason_code="QTE_ERR",
        reason="8 portes livrées sur 10",
        amounts=[("MAPTTC", 800.0), ("MNATTC", 200.0)],
        more=[("FA2026/0043", "20260302", "205")],
    )
    message_id, statuses = rules.parse_cdar(data)
    assert message_id == "CDV-2026-0001"
    first, second = statuses
    assert first == {
        "invoice_ref": "FA2026/0042",
        "invoice_date": D("2026-03-01"),
        "seller_siren": "552100554",
        "code": "206",
        "reason_code": "QTE_ERR",
        "reason": "8 portes livrées sur 10",
        "amounts": {"MAPTTC": 800.0, "MNATTC": 200.0},
        "date": D("2026-03-10"),
    }
    assert rules.main_amount(first["amounts"]) == 800.0
    assert (second["invoice_ref"], second["code"], second["amounts"]) == ("FA2026/0043", "205", {})
    assert rules.main_amount(second["amounts"]) == 0.0


def test_collected_amounts_per_vat_rate_add_up():
    data = cdar("M", "FA1", "20260301", "212", "20260310", amounts=[("MEN", 100.0), ("MEN", 20.5)])
    assert rules.parse_cdar(data)[1][0]["amounts"] == {"MEN": 120.5}


def test_a_status_without_code_is_read_with_an_empty_code():
    assert rules.parse_cdar(cdar("M", "FA1", "20260301", "", "20260310"))[1][0]["code"] == ""


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.4 not xml", "not_xml"),
        (b"", "not_xml"),
        (b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>", "not_cdar"),
        (
            b"<rsm:CrossDomainAcknowledgementAndResponse xmlns:rsm="
            b"'urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100'/>",
            "empty",
        ),
    ],
)
def test_what_is_not_a_cdar_message_says_why(data, kind):
    with pytest.raises(rules.CdarError) as caught:
        rules.parse_cdar(data)
    assert caught.value.kind == kind


def test_external_entities_are_not_resolved():
    data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + cdar(
        "M", "XXE", "20260301", "207", "20260310"
    ).split(b"?>", 1)[1].replace(b">XXE<", b">&e;<")
    _message_id, statuses = rules.parse_cdar(data)
    assert statuses[0]["invoice_ref"] == ""  # the entity stays unresolved


@pytest.mark.parametrize(
    ("text", "expected"),
    [("20260310", D("2026-03-10")), ("20260310093000", D("2026-03-10")), ("2026-03-10", D("2026-03-10"))],
)
def test_dates_in_either_format(text, expected):
    data = cdar("M", "FA1", "20260301", "207", "20260310").replace(b">20260301<", f">{text}<".encode())
    assert rules.parse_cdar(data)[1][0]["invoice_date"] == expected
