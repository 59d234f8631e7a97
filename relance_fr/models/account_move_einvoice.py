from odoo import fields, models

from ..tools import relance_einvoice as rules

BLOCKS = [
    ("paused", "Suspended by the buyer"),
    ("stopped", "Refused, rejected or cancelled"),
    ("factored", "Factored"),
]


class AccountMove(models.Model):
    """The e-invoicing lifecycle of a customer invoice, as the dunning reads it: the last
    status (badge), the history, and what the statuses decided (held, approved amount)."""

    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    relance_einvoice_status_id = fields.Many2one(
        "relance.einvoice.status",
        string="E-invoicing status",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The invoice's latest lifecycle status on the e-invoicing platform.",
    )
    relance_einvoice_summary = fields.Char(
        related="relance_einvoice_status_id.summary", string="Platform status"
    )
    relance_einvoice_code = fields.Char(
        related="relance_einvoice_status_id.code", string="Platform status code"
    )
    relance_einvoice_status_ids = fields.One2many(
        "relance.einvoice.status",
        "invoice_id",
        string="E-invoicing statuses",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    relance_einvoice_block = fields.Selection(
        BLOCKS,
        string="Held by the platform status",
        copy=False,
        readonly=True,
        help="Why an e-invoicing status took the invoice out of the dunning.",
    )
    relance_einvoice_payment_sent = fields.Date(
        "Payment sent (buyer)",
        copy=False,
        readonly=True,
        help="The buyer's platform said the payment was sent on this date (status 211): no "
        "escalation for the company's days, then the next reminder recalls it.",
    )
    relance_einvoice_approved = fields.Monetary(
        "Approved amount",
        currency_field="currency_id",
        copy=False,
        readonly=True,
        help="Amount the buyer approved (status 206): only that is claimed, the rest is disputed.",
    )

    # ------------------------------------------------------------------
    # Hooks the dunning run and the messages call (no query: fields read with the batch)
    # ------------------------------------------------------------------
    def _relance_einvoice_held(self, today):
        """The invoices whose buyer said it sent the payment (211) less than the company's
        ``relance_payment_sent_days`` ago: they do not climb and are not claimed meanwhile."""
        return self.filtered(
            lambda m: rules.payment_sent_held(
                m.relance_einvoice_payment_sent, m.company_id.relance_payment_sent_days, today
            )
        )

    def _relance_amount_claimed(self):
        """What may be claimed for the invoice: the residual, or for an invoice approved in part
        (206) the approved amount less what was paid."""
        self.ensure_one()
        if not self.relance_einvoice_approved:
            return self.amount_residual
        return rules.partial_amounts(self.relance_einvoice_approved, self.amount_total, self.amount_residual)[
            0
        ]

    def _relance_claimed_signed(self):
        """What may be claimed for the invoices, in company currency (signed residuals)."""
        return sum(
            m.amount_residual_signed
            * (m._relance_amount_claimed() / m.amount_residual if m.amount_residual else 1.0)
            for m in self
        )

    def _relance_einvoice_recalls(self, day):
        """The payments the buyer said it sent (211) that a message of ``day`` recalls: the
        first one after the hold. ``[{"invoice", "date"}]``."""
        return [
            {"invoice": m.name, "date": m.relance_einvoice_payment_sent.strftime("%d/%m/%Y")}
            for m in self
            if rules.payment_sent_recall(
                m.relance_einvoice_payment_sent,
                m.company_id.relance_payment_sent_days,
                m.relance_last_date,
                day,
            )
        ]

    def _relance_einvoice_evidence(self):
        """What the platform proves: the dates the invoices were made available to the buyer
        (203) and approved by it (205), ``[{"invoice", "made_available", "approved"}]`` (dates
        formatted, empty when unknown; one search for all the invoices)."""
        statuses = self.env["relance.einvoice.status"].search(
            [("invoice_id", "in", self.ids), ("code", "in", ("203", "205"))], order="date, id"
        )
        facts = {}
        for status in statuses:
            key = "made_available" if status.code == "203" else "approved"
            facts.setdefault(status.invoice_id, {}).setdefault(key, status.date.strftime("%d/%m/%Y"))
        return [
            {"invoice": invoice.name, "made_available": "", "approved": "", **facts[invoice]}
            for invoice in self.sorted("name")
            if invoice in facts
        ]
