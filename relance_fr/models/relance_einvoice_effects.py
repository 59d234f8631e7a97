from markupsafe import Markup

from odoo import fields, models

from ..tools import relance_einvoice as rules
from .relance_einvoice_status import PAID_STATES


class RelanceEinvoiceStatus(models.Model):
    """What a matched status does to its invoice's dunning (the rule: tools/relance_einvoice.py).
    Through the dunning's own mechanisms: the exclusion (with its reason), disputes, and the
    invoice fields the run reads in its batches (payment sent, approved amount)."""

    _inherit = "relance.einvoice.status"

    def _relance_apply(self):
        """Apply the statuses (in date order) to their invoices; each says what it did."""
        for status in self.sorted(lambda s: (s.date, s.id)):
            invoice = status.invoice_id.sudo()  # the buyer's platform decides, whoever imports
            latest = invoice.relance_einvoice_status_id
            latest = latest if latest != status else latest.browse()
            effect = rules.decide(
                status.code, status.date, latest.date or None, invoice.payment_state in PAID_STATES
            )
            if not latest or status.date >= latest.date:
                invoice.relance_einvoice_status_id = status
            if effect != rules.HISTORY:
                getattr(status, f"_relance_effect_{effect}")(invoice)
            status.sudo().result = "history" if effect == rules.HISTORY else "applied"
            invoice.message_post(
                body=status._relance_note(effect),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        # the run selects in SQL: what the statuses decided is in the database before it reads
        self.invoice_id.flush_recordset()

    def _relance_note(self, effect):
        said = self.env._(
            "E-invoicing status %(status)s of %(date)s",
            status=self.summary,
            date=self.date.strftime("%d/%m/%Y"),
        )
        if self.reason or self.reason_code:
            said += " (" + " – ".join(filter(None, [self.reason_code, self.reason])) + ")"
        if effect == rules.HISTORY:
            said += self.env._(": kept in the history (invoice paid, or a later status already received).")
        return Markup("<p>%s</p>") % said

    def _relance_reason_text(self):
        return " – ".join(filter(None, [self.reason_code, self.reason]))

    def _relance_exclude(self, invoice, block, reason):
        invoice.write(
            {
                "relance_excluded": True,
                "relance_excluded_reason": reason,
                "relance_einvoice_block": block,
            }
        )

    def _relance_activity(self, invoice, summary):
        specialist = invoice.company_id._relance_specialist(invoice.commercial_partner_id)
        invoice.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=fields.Date.context_today(self),
            summary=summary,
            note=self._relance_note(rules.INFO),
            user_id=(specialist or invoice.invoice_user_id or self.env.user).id,
        )

    # ------------------------------------------------------------------
    # One method per effect (rules.EFFECTS)
    # ------------------------------------------------------------------
    def _relance_effect_info(self, invoice):
        """Said in the history only (212 included: payments come from the reconciliation)."""

    def _relance_effect_evidence(self, invoice):
        """203, 205: read back by the formal notice and the collection file."""

    def _relance_effect_dispute(self, invoice):
        """207: a dispute (it takes the invoice out of the dunning until it is settled)."""
        open_dispute = invoice.relance_dispute_ids.filtered(lambda d: d.state == "open")
        if open_dispute:
            open_dispute.message_post(body=self._relance_note(rules.DISPUTE), subtype_xmlid="mail.mt_note")
            if not invoice.relance_excluded:
                invoice.write(
                    {
                        "relance_excluded": True,
                        "relance_excluded_reason": self.env._(
                            "In dispute on the e-invoicing platform (%(status)s)", status=self.summary
                        ),
                    }
                )
            return
        self._relance_open_dispute(invoice, self._relance_reason_text() or self.label)

    def _relance_effect_partial(self, invoice):
        """206: only the approved amount is claimed; the rest is a dispute awaiting a credit note."""
        if not self.amount:
            self.sudo().note = self.env._("No approved amount in the message: nothing changed.")
            return
        claimed, disputed = rules.partial_amounts(self.amount, invoice.amount_total, invoice.amount_residual)
        invoice.relance_einvoice_approved = min(self.amount, invoice.amount_total)
        if disputed > 0 and not invoice.relance_dispute_ids.filtered(lambda d: d.state == "open"):
            fmt = self.env["relance.reminder"]._fmt_amount
            self._relance_open_dispute(
                invoice,
                self.env._(
                    "Approved for %(approved)s only: a credit note of %(rest)s is expected. %(reason)s",
                    approved=fmt(invoice.relance_einvoice_approved, invoice.currency_id),
                    rest=fmt(disputed, invoice.currency_id),
                    reason=self._relance_reason_text(),
                ).strip(),
                amount=disputed,
            )

    def _relance_effect_pause(self, invoice):
        """208: paused until the buyer has what it asks for (the reason code says what)."""
        self._relance_exclude(
            invoice,
            "paused",
            self.env._(
                "Suspended by the buyer (%(status)s): %(reason)s",
                status=self.summary,
                reason=self._relance_reason_text() or "–",
            ),
        )
        self._relance_activity(
            invoice,
            self.env._("Send the buyer what it asks for %(invoice)s", invoice=invoice.name),
        )

    def _relance_effect_resume(self, invoice):
        """209: the pause ends (an open dispute or another exclusion stays)."""
        if invoice.relance_einvoice_block != "paused":
            return
        values = {"relance_einvoice_block": False}
        if not invoice.relance_dispute_ids.filtered(lambda d: d.state in ("open", "accepted")):
            values.update(relance_excluded=False, relance_excluded_reason=False)
        invoice.write(values)

    def _relance_effect_stop(self, invoice):
        """210, 213, 220, 221: never dunned; the invoice is to be credited, corrected or resent."""
        self._relance_exclude(
            invoice,
            "stopped",
            self.env._(
                "%(status)s on the e-invoicing platform on %(date)s: %(reason)s",
                status=self.summary,
                date=self.date.strftime("%d/%m/%Y"),
                reason=self._relance_reason_text() or "–",
            ),
        )
        self._relance_activity(
            invoice,
            self.env._(
                "Issue a credit note, correct or resend %(invoice)s (%(status)s)",
                invoice=invoice.name,
                status=self.summary,
            ),
        )

    def _relance_effect_factored(self, invoice):
        """225: the factor collects the invoice, not us."""
        self._relance_exclude(
            invoice,
            "factored",
            self.env._("Factored (%(status)s): the factor collects it.", status=self.summary),
        )

    def _relance_effect_payment_sent(self, invoice):
        """211: no escalation for the company's days, then the next message recalls it."""
        invoice.relance_einvoice_payment_sent = self.date

    def _relance_open_dispute(self, invoice, description, amount=0.0):
        specialist = invoice.company_id._relance_specialist(invoice.commercial_partner_id)
        self.env["relance.dispute"].sudo().create(
            {
                "invoice_id": invoice.id,
                "reason": rules.dispute_reason(self.reason_code),
                "description": description,
                "source": "einvoice",
                "amount_disputed": amount,
                "user_id": (specialist or self.env.user).id,
            }
        )
