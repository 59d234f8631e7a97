"""CDAR D22B lifecycle messages (XP Z12-012) as a platform sends them, for the tests: the
structure of the French external specifications (ExchangedDocument, then one
AcknowledgementDocument per status with its ReferenceReferencedDocument)."""

import io
import zipfile
from xml.sax.saxutils import escape


def cdar(
    message_id,
    invoice,
    invoice_date,
    code,
    event_date,
    siren="552100554",
    reason_code="",
    reason="",
    amounts=(),
    more=(),
):
    """One CDAR message; ``invoice_date`` and ``event_date`` as ``YYYYMMDD``; ``amounts``:
    ``[(type code, value)]``; ``more``: other ``(invoice, invoice_date, code)`` statuses in the
    same message."""
    documents = [_document(invoice, invoice_date, code, event_date, siren, reason_code, reason, amounts)]
    documents += [_document(inv, day, other, event_date, siren, "", "", ()) for inv, day, other in more]
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossDomainAcknowledgementAndResponse
    xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
    xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:BusinessProcessSpecifiedDocumentContextParameter>
    <ram:ID>REGULATED</ram:ID>
    </ram:BusinessProcessSpecifiedDocumentContextParameter>
    <ram:GuidelineSpecifiedDocumentContextParameter>
    <ram:ID>urn.cpro.gouv.fr:1p0:CDV:invoice</ram:ID>
    </ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>{escape(message_id)}</ram:ID>
    <ram:Name>Statut de cycle de vie</ram:Name>
    <ram:IssueDateTime>
    <udt:DateTimeString format="204">{event_date}093000</udt:DateTimeString>
    </ram:IssueDateTime>
    <ram:SenderTradeParty>
    <ram:GlobalID schemeID="0238">PA0042</ram:GlobalID>
    <ram:RoleCode>WK</ram:RoleCode>
    </ram:SenderTradeParty>
    <ram:IssuerTradeParty>
    <ram:GlobalID schemeID="0002">356000000</ram:GlobalID>
    <ram:RoleCode>BY</ram:RoleCode>
    </ram:IssuerTradeParty>
    <ram:RecipientTradeParty>
    <ram:GlobalID schemeID="0002">{siren}</ram:GlobalID>
    <ram:RoleCode>SE</ram:RoleCode>
    </ram:RecipientTradeParty>
  </rsm:ExchangedDocument>
{"".join(documents)}</rsm:CrossDomainAcknowledgementAndResponse>
""".encode()


def _document(invoice, invoice_date, code, event_date, siren, reason_code, reason, amounts):
    status_code = f"<ram:ProcessConditionCode>{code}</ram:ProcessConditionCode>" if code else ""
    reasons = "".join(
        [
            f"<ram:ReasonCode>{escape(reason_code)}</ram:ReasonCode>" if reason_code else "",
            f"<ram:Reason>{escape(reason)}</ram:Reason>" if reason else "",
        ]
    )
    characteristics = "".join(
        f"<ram:SpecifiedDocumentCharacteristic><ram:TypeCode>{kind}</ram:TypeCode>"
        f"<ram:ValueAmount>{value:.2f}</ram:ValueAmount></ram:SpecifiedDocumentCharacteristic>"
        for kind, value in amounts
    )
    return f"""  <rsm:AcknowledgementDocument>
    <ram:MultipleReferencesIndicator><udt:Indicator>false</udt:Indicator></ram:MultipleReferencesIndicator>
    <ram:TypeCode>23</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">{event_date}</udt:DateTimeString></ram:IssueDateTime>
    <ram:ReferenceReferencedDocument>
      <ram:IssuerAssignedID>{escape(invoice)}</ram:IssuerAssignedID>
      <ram:TypeCode>380</ram:TypeCode>
      <ram:FormattedIssueDateTime>
      <qdt:DateTimeString format="102">{invoice_date}</qdt:DateTimeString>
      </ram:FormattedIssueDateTime>
      {status_code}
      <ram:IssuerTradeParty>
      <ram:GlobalID schemeID="0002">{siren}</ram:GlobalID>
      <ram:RoleCode>SE</ram:RoleCode>
      </ram:IssuerTradeParty>
      <ram:SpecifiedDocumentStatus>
        <ram:ReferenceDateTime>
        <udt:DateTimeString format="204">{event_date}093000</udt:DateTimeString>
        </ram:ReferenceDateTime>
        {reasons}
        <ram:SequenceNumeric>1</ram:SequenceNumeric>
        {characteristics}
      </ram:SpecifiedDocumentStatus>
    </ram:ReferenceReferencedDocument>
  </rsm:AcknowledgementDocument>
"""


def zip_of(files):
    """A ZIP archive of ``{name: bytes}``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
