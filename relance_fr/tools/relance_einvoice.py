"""E-invoicing lifecycle statuses (AFNOR XP Z12-012, carried by CDAR D22B messages): what each
code means for the dunning, and how a CDAR message is read. Plain values in, plain values out.

Codes and meanings: LEGAL-FR §8 (external specifications v3.1 of the French reform)."""

import re
from datetime import datetime, timedelta

from lxml import etree

# French labels of the lifecycle statuses (XP Z12-012)
LABELS = {
    "200": "Déposée",
    "201": "Émise par la plateforme",
    "202": "Reçue par la plateforme",
    "203": "Mise à disposition",
    "204": "Prise en charge",
    "205": "Approuvée",
    "206": "Approuvée partiellement",
    "207": "En litige",
    "208": "Suspendue",
    "209": "Complétée",
    "210": "Refusée",
    "211": "Paiement transmis",
    "212": "Encaissée",
    "213": "Rejetée",
    "214": "Visée",
    "220": "Annulée",
    "221": "Erreur de routage",
    "224": "Demande de paiement direct",
    "225": "Affacturée",
    "226": "Affacturée confidentiel",
    "227": "Changement de compte à payer",
    "228": "Non affacturée",
}

# What a status does to the dunning of its invoice
EVIDENCE = "evidence"  # 203, 205: stated in the formal notice and the collection file
PARTIAL = "partial"  # 206: only the approved amount is claimed, the rest is a dispute
DISPUTE = "dispute"  # 207: a dispute, out of dunning until it is settled
PAUSE = "pause"  # 208: paused until the buyer has what it asked for
RESUME = "resume"  # 209: the pause ends
STOP = "stop"  # 210, 213, 220, 221: never dunned; credit note, correction or resending
PAYMENT_SENT = "payment_sent"  # 211: no escalation for a while, then recalled
FACTORED = "factored"  # 225: the factor collects, not us
INFO = "info"  # everything else (212 included: payments come from the reconciliation)
HISTORY = "history"  # a status about a paid invoice, or older than its latest: history only

EFFECTS = {
    "203": EVIDENCE,
    "205": EVIDENCE,
    "206": PARTIAL,
    "207": DISPUTE,
    "208": PAUSE,
    "209": RESUME,
    "210": STOP,
    "213": STOP,
    "220": STOP,
    "221": STOP,
    "211": PAYMENT_SENT,
    "225": FACTORED,
}

# the buyer's reason codes (XP Z12-012) mapped on the dispute reasons of relance.dispute
DISPUTE_REASONS = {
    "DOUBLON": "duplicate",
    "DOUBLE_FACT": "duplicate",
    "QTE_ERR": "quantity",
    "LIVR_INCOMP": "quantity",
    "PU_ERR": "price",
    "REM_ERR": "price",
    "CALCUL_ERR": "price",
    "MONTANTTOTAL_ERR": "price",
    "TX_TVA_ERR": "price",
    "QUALITE_ERR": "quality",
    "CMD_ERR": "order",
    "REF_CT_ABSENT": "order",
    "REF_ERR": "order",
    "NON_LIVRE": "not_received",
    "DEJA_PAYE": "already_paid",
}

# approved amount first (tax included, then excluded), collected, then what remains to pay
AMOUNT_TYPES = ("MAPTTC", "MAP", "MEN", "RAP", "MPA")

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
ROOT_TAG = "{%s}CrossDomainAcknowledgementAndResponse" % NS["rsm"]


class CdarError(ValueError):
    """The data is not a CDAR message we can read. ``kind``: ``not_xml``, ``not_cdar`` or
    ``empty``; ``detail``: the parser's words or the root element found."""

    def __init__(self, kind, detail=""):
        super().__init__(kind, detail)
        self.kind = kind
        self.detail = detail


def label(code):
    return LABELS.get(code or "", "")


def effect(code):
    """What status ``code`` does to the dunning (one of the constants above); None when the
    code is not one of XP Z12-012."""
    if code not in LABELS:
        return None
    return EFFECTS.get(code, INFO)


def decide(code, status_date, latest_date, paid):
    """The effect a status has on its invoice now: HISTORY when the invoice is paid or when
    the invoice already has a later status (``latest_date``), else ``effect(code)``."""
    if paid or (latest_date and status_date and status_date < latest_date):
        return HISTORY
    return effect(code)


def dispute_reason(reason_code):
    return DISPUTE_REASONS.get((reason_code or "").strip().upper(), "other")


def partial_amounts(approved, amount_total, amount_residual):
    """206: ``(claimed, disputed)``. What may still be claimed is the approved amount less what
    was paid, never more than the residual; the rest of the invoice is disputed."""
    approved = max(min(approved, amount_total), 0.0)
    paid = amount_total - amount_residual
    claimed = max(min(amount_residual, approved - paid), 0.0)
    return claimed, amount_total - approved


def payment_sent_held(sent_date, hold_days, today):
    """211: the invoice does not climb while ``today`` is within ``hold_days`` of the date the
    buyer says it sent the payment."""
    return bool(sent_date) and sent_date <= today < sent_date + timedelta(days=hold_days)


def payment_sent_recall(sent_date, hold_days, last_reminder_date, today):
    """211: the first message after the hold recalls that the buyer said it had paid (a message
    already sent after the hold ended has said it)."""
    if not sent_date or payment_sent_held(sent_date, hold_days, today) or today < sent_date:
        return False
    return not last_reminder_date or last_reminder_date < sent_date + timedelta(days=hold_days)


def siren(company_registry="", siret="", vat=""):
    """The company's SIREN (9 digits) from its registry number, SIRET or French VAT number."""
    for value in (company_registry, siret):
        digits = re.sub(r"\D", "", value or "")
        if len(digits) in (9, 14):
            return digits[:9]
    vat = re.sub(r"\s", "", vat or "").upper()
    if re.fullmatch(r"FR[0-9A-Z]{2}\d{9}", vat):
        return vat[4:]
    return ""


# ----------------------------------------------------------------------
# Reading a CDAR message
# ----------------------------------------------------------------------
def _text(node, path):
    found = node.find(path, NS)
    return (found.text or "").strip() if found is not None and found.text else ""


def parse_datetime(node):
    """A CDAR date (``udt:``/``qdt:DateTimeString``, format 102 ``YYYYMMDD`` or 204
    ``YYYYMMDDHHMMSS``): a date, or None."""
    if node is None:
        return None
    string = node.find("udt:DateTimeString", NS)
    if string is None:
        string = node.find("qdt:DateTimeString", NS)
    value = ((string.text if string is not None else node.text) or "").strip()
    for fmt, size in (("%Y%m%d%H%M%S", 14), ("%Y%m%d", 8), ("%Y-%m-%d", 10)):
        try:
            return datetime.strptime(value[:size], fmt).date()
        except ValueError:
            continue
    return None


def _amount(value):
    try:
        return float((value or "").replace(",", "."))
    except ValueError:
        return None


def parse_cdar(data):
    """Read a CDAR message: ``(message_id, [status dict, ...])``, one dict per referenced
    document: ``invoice_ref``, ``invoice_date``, ``seller_siren``, ``code``, ``reason_code``,
    ``reason``, ``amounts`` ({type code: value}), ``date`` (the event's date).
    Raises CdarError when ``data`` is not XML or not a CDAR message."""
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(data, parser=parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise CdarError("not_xml", str(exc)) from exc
    if root.tag != ROOT_TAG:
        raise CdarError("not_cdar", etree.QName(root).localname)
    message_id = _text(root, "rsm:ExchangedDocument/ram:ID")
    message_date = parse_datetime(root.find("rsm:ExchangedDocument/ram:IssueDateTime", NS))
    statuses = []
    for ack in root.findall("rsm:AcknowledgementDocument", NS):
        event_date = parse_datetime(ack.find("ram:IssueDateTime", NS)) or message_date
        for ref in ack.findall("ram:ReferenceReferencedDocument", NS):
            status = ref.find("ram:SpecifiedDocumentStatus", NS)
            code = _text(ref, "ram:ProcessConditionCode")
            if not code and status is not None:
                code = _text(status, "ram:ProcessConditionCode")
            amounts = {}
            for node in ref.iterfind(".//ram:SpecifiedDocumentCharacteristic", NS):
                kind = _text(node, "ram:TypeCode").upper()
                value = _amount(_text(node, "ram:ValueAmount"))
                if kind and value is not None:
                    amounts[kind] = amounts.get(kind, 0.0) + value  # MEN comes once per VAT rate
            statuses.append(
                {
                    "invoice_ref": _text(ref, "ram:IssuerAssignedID"),
                    "invoice_date": parse_datetime(ref.find("ram:FormattedIssueDateTime", NS)),
                    "seller_siren": next(
                        (
                            (node.text or "").strip()
                            for node in ref.findall("ram:IssuerTradeParty/ram:GlobalID", NS)
                            if node.get("schemeID") == "0002"
                        ),
                        "",
                    ),
                    "code": code,
                    "reason_code": _text(status, "ram:ReasonCode") if status is not None else "",
                    "reason": _text(status, "ram:Reason") if status is not None else "",
                    "amounts": amounts,
                    "date": event_date,
                }
            )
    if not statuses:
        raise CdarError("empty")
    return message_id, statuses


def main_amount(amounts):
    """The amount a status carries: approved, collected or remaining (AMOUNT_TYPES order)."""
    return next((amounts[kind] for kind in AMOUNT_TYPES if kind in amounts), 0.0)
