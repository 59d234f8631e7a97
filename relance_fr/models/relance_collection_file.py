import io
import zipfile

from odoo import models

from ..tools import relance_collection
from .relance_collection import SUMMARY_REPORT
from .relance_event import STATEMENT_REPORT
from .relance_reminder import EMAIL_CHANNELS, LANG, LETTER_CHANNELS

CSV_HEADER = [
    "Type",
    "Pièce",
    "Facture",
    "Date",
    "Échéance",
    "Montant",
    "Reste dû",
    "Jours de retard",
    "Intérêts de retard",
    "Indemnité forfaitaire",
    "Devise",
]

MAIL_OUTCOMES = {
    "queued": "courriel en attente d'envoi",
    "sent": "courriel envoyé",
    "exception": "courriel refusé par le serveur",
    "bounced": "courriel revenu en erreur",
}

ACKNOWLEDGMENTS = {
    "delivered": "distribuée",
    "refused": "refusée",
    "unclaimed": "avisée et non réclamée, présentée",
    "address_unknown": "retournée (destinataire inconnu à l'adresse)",
}


class RelanceCollection(models.Model):
    """The collection file handed over to the lawyer or agency: the ZIP (summary PDF, invoices,
    letters, statement, entries as CSV) and the facts of its summary."""

    _inherit = "relance.collection"  # pylint: disable=consider-merging-classes-inherited

    def _relance_build_file(self):
        """The ZIP of the file, kept as an attachment: summary, invoices, letters, latest
        statement and the entries as CSV."""
        self.ensure_one()
        Reminder = self.env["relance.reminder"].with_company(self.company_id).with_context(lang=LANG)
        stamp = self.date.strftime("%Y-%m-%d")
        files = []
        content, ext = Reminder._relance_render(SUMMARY_REPORT, self)[self.id]
        files.append((f"01 Synthèse du dossier {stamp}.{ext}", content))
        stored = self.invoice_ids.filtered("invoice_pdf_report_id")
        missing = self.invoice_ids - stored
        rendered = Reminder._relance_render("account.account_invoices", missing) if missing else {}
        for inv in self.invoice_ids.sorted(lambda m: (m.invoice_date_due, m.name)):
            if inv in stored:
                name, content = inv.invoice_pdf_report_id.name, inv.invoice_pdf_report_id.raw
            else:
                content, ext = rendered[inv.id]
                name = inv._get_invoice_report_filename(ext)
            files.append((f"02 Factures/{name}", content))
        for reminder in self.reminder_ids.filtered(
            lambda r: r.letter_attachment_id and r.channel in LETTER_CHANNELS
        ):
            letter = reminder.letter_attachment_id.sudo()
            files.append((f"03 Courriers/{reminder.date:%Y-%m-%d} {letter.name}", letter.raw))
        name, content = self._relance_statement()
        files.append((f"04 {name}", content))
        files.append((f"05 Écritures {stamp}.csv", self._relance_entries_csv()))
        stream = io.BytesIO()
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, data in files:
                archive.writestr(path, data)
        return self.env["ir.attachment"].create(
            {
                "name": f"Dossier de recouvrement {self.partner_id.name} {stamp}.zip",
                "raw": stream.getvalue(),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/zip",
            }
        )

    def _relance_statement(self):
        """``(file name, content)`` of the customer's latest statement sent, else one made on
        the date of the file."""
        self.ensure_one()
        latest = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", self.partner_id.id),
                    ("name", "=like", "Relevé de compte %"),
                    ("company_id", "in", [self.company_id.id, False]),
                ],
                order="id desc",
                limit=1,
            )
        )
        if latest:
            return latest.name, latest.raw
        content, ext = (
            self.env["relance.reminder"]
            .with_company(self.company_id)
            .with_context(lang=LANG, relance_statement_date=self.date)
            ._relance_render(STATEMENT_REPORT, self.partner_id)[self.partner_id.id]
        )
        return f"Relevé de compte {self.partner_id.name} {self.date:%Y-%m-%d}.{ext}", content

    def _relance_entries_csv(self):
        """The entries of the file: each invoice, then the payments and credits matched with it."""
        self.ensure_one()
        values = self._relance_summary_values()
        rows = []
        for line in values["lines"]:
            inv = line["invoice"]
            ccy = inv.currency_id.name
            dates = [inv.invoice_date, inv.invoice_date_due]
            amounts = [inv.amount_total, inv.amount_residual, line["days_late"]]
            penalties = [line["interest_value"], line["indemnity_value"]]
            rows.append(["Facture", inv.name, inv.name, *dates, *amounts, *penalties, ccy])
            for paid in line["payments"]:
                rows.append(
                    [
                        "Règlement",
                        paid["name"],
                        inv.name,
                        paid["date"],
                        None,
                        -paid["value"],
                        *[None] * 4,
                        ccy,
                    ]
                )
        return relance_collection.entries_csv(CSV_HEADER, rows)

    def _relance_summary_values(self):
        """What the summary PDF and the CSV show, formatted the French way."""
        self.ensure_one()
        company, partner = self.company_id, self.partner_id
        professional = partner._relance_is_professional()
        penalties = self._relance_penalties()
        periods = {}
        for period in penalties["lines"]:
            periods.setdefault(period["invoice_id"], []).append(period)
        # the fixed indemnity, 40 € per overdue invoice when owed (D441-5)
        overdue = self.invoice_ids.filtered(lambda m: m.invoice_date_due < self.date)
        each = penalties["indemnity"] / len(overdue) if overdue else 0.0
        lines = []
        for inv in self.invoice_ids.sorted(lambda m: (m.invoice_date_due, m.name)):
            interest = sum(p["value"] for p in periods.get(inv.id, []))
            receivable = inv.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
            payments = [
                {
                    "name": (partial.credit_move_id.move_id.name or partial.credit_move_id.name),
                    "date": partial.max_date,
                    "value": partial.debit_amount_currency,
                    "amount": self._fmt_amount(partial.debit_amount_currency, inv.currency_id),
                }
                for partial in receivable.matched_credit_ids.sorted("max_date")
            ]
            lines.append(
                {
                    **self.env["relance.reminder"]._relance_invoice_line(inv, self.date),
                    "paid": self._fmt_amount(inv.amount_total - inv.amount_residual, inv.currency_id),
                    "interest": self._fmt_amount(interest),
                    "interest_value": round(interest, 2),
                    "indemnity_value": each if inv in overdue else 0.0,
                    "periods": periods.get(inv.id, []),
                    "payments": payments,
                }
            )
        reminders = []
        for reminder in self.reminder_ids:
            # the acknowledgment of receipt, as the summary (in French) states it
            outcome = ACKNOWLEDGMENTS.get(reminder.delivery_status, "")
            day = self._fmt_date(reminder.delivery_date)
            delivery = " ".join(filter(None, [outcome, day and f"le {day}"]))
            reminders.append(
                {
                    "date": self._fmt_date(reminder.date),
                    "level": reminder.level_id.name,
                    "channel": dict(reminder._fields["channel"]._description_selection(self.env)).get(
                        reminder.channel, ""
                    ),
                    "tracking": reminder._relance_tracking_display(),
                    "sent": self._relance_step_outcome(reminder),
                    "delivery": delivery,
                    "invoices": ", ".join((reminder.invoice_ids & self.invoice_ids).mapped("name")),
                }
            )
        # what the debtor said and did not keep: promises and payment plans broken, disputes rejected
        promises = self.env["relance.promise"].search(
            [("invoice_ids", "in", self.invoice_ids.ids), ("state", "=", "broken")], order="date"
        )
        disputes = self.env["relance.dispute"].search(
            [("invoice_id", "in", self.invoice_ids.ids), ("state", "=", "rejected")], order="date"
        )
        plans = self.env["relance.plan"].search(
            [("invoice_ids", "in", self.invoice_ids.ids), ("state", "=", "broken")], order="date_confirmed"
        )
        reasons = dict(disputes._fields["reason"]._description_selection(self.env))
        return {
            "broken_promises": [
                {
                    "date": self._fmt_date(promise.date),
                    "recorded": self._fmt_date(promise.date_recorded),
                    "amount": self._fmt_amount(promise.amount) if promise.amount else "",
                    "invoices": ", ".join((promise.invoice_ids & self.invoice_ids).mapped("name")),
                }
                for promise in promises
            ],
            "broken_plans": [self._relance_broken_plan(plan) for plan in plans],
            "einvoice_evidence": self.invoice_ids._relance_einvoice_evidence(),
            "rejected_disputes": [
                {
                    "date": self._fmt_date(dispute.date),
                    "invoice": dispute.invoice_id.name,
                    "reason": reasons.get(dispute.reason, ""),
                    "answer": dispute.reject_reason or "",
                }
                for dispute in disputes
            ],
            "company": company,
            "partner": partner,
            "creditor": self._relance_identity(company.partner_id),
            "debtor": self._relance_identity(partner),
            "professional": professional,
            "date": self._fmt_date(self.date),
            "date_long": self._fmt_date(self.date, long=True),
            "lines": lines,
            "reminders": reminders,
            "penalties": penalties,
            "indemnity": self._fmt_amount(penalties["indemnity"]),
            "interest": self._fmt_amount(penalties["interest"]),
            "penalty_total": self._fmt_amount(penalties["total"]),
            "principal": self._fmt_amount(self.amount_principal),
            "grand_total": self._fmt_amount(self.amount_principal + penalties["total"]),
            "missing": [self._fmt_date(day) for day in penalties["missing"]],
            "debtor_kind": partner._relance_debtor_kind(),
        }

    def _relance_step_outcome(self, reminder):
        """What became of a step, as the summary says it beside its tracking number: the email
        sent or not, the letter posted on its day, or not posted."""
        parts = []
        if reminder.channel in EMAIL_CHANNELS:
            parts.append(MAIL_OUTCOMES.get(reminder.mail_state, "courriel non envoyé"))
        if reminder.channel in LETTER_CHANNELS:
            if reminder.letter_posted_date or reminder.tracking_number:
                day = self._fmt_date(reminder.letter_posted_date)
                parts.append(f"lettre postée le {day}" if day else "lettre postée")
            else:
                parts.append("lettre non postée")
        if reminder.channel == "phone":
            parts.append("appel")
        return " ; ".join(parts)

    def _relance_broken_plan(self, plan):
        """A payment plan the debtor did not follow, as the summary states it."""
        missed = plan.line_ids.filtered(lambda line: line.state == "late").sorted("date")[:1]
        return {
            "date": self._fmt_date(plan.date_confirmed),
            "count": len(plan.line_ids),
            "amount": self._fmt_amount(plan.amount_total, plan.currency_id),
            "missed": self._fmt_date(missed.date),
            "missed_amount": self._fmt_amount(missed.amount - missed.amount_paid, plan.currency_id),
            "invoices": ", ".join((plan.invoice_ids & self.invoice_ids).mapped("name")),
        }

    def _relance_identity(self, partner):
        """Name, address lines, SIREN and VAT number of a party."""
        siret = partner["siret"] if "siret" in partner._fields else ""
        return {
            "name": partner.name,
            "address": [
                line
                for line in (
                    partner.street,
                    partner.street2,
                    " ".join(filter(None, [partner.zip, (partner.city or "").upper()])),
                    partner.country_id.name if partner.country_id.code != "FR" else "",
                )
                if line
            ],
            "siren": relance_collection.siren(partner.company_registry, siret, partner.vat),
            "siret": siret or "",
            "vat": partner.vat or "",
            "email": partner.email or "",
            "phone": partner.phone or "",
        }
