from odoo import api, fields, models
from odoo.tools import SQL

from .. import compat
from ..tools import relance_legal, relance_rules


@compat.sql_constraints(
    ("kind_date_unique", "UNIQUE(kind, date_from)", "One rate per kind and half-year."),
)
class RelanceRate(models.Model):
    _name = "relance.rate"
    _description = "Reference rate by half-year"
    _order = "kind, date_from desc"

    kind = fields.Selection(
        [
            ("ecb", "ECB main refinancing rate"),
            ("legal_pro", "Legal interest rate (other cases)"),
            ("legal_individual", "Legal interest rate (individual creditors)"),
        ],
        required=True,
    )
    date_from = fields.Date(
        "Half-year starting", required=True, help="1 January or 1 July: the rate in force then."
    )
    rate = fields.Float("Rate (%)", digits=(5, 2), required=True, aggregator=None)
    note = fields.Char(help="Source, or why the value is not confirmed yet.")
    confirmed = fields.Boolean(default=True)

    @api.model
    def _rate_table(self, kind):
        """``[(date_from, rate)]`` of one kind, read in one query."""
        rows = self.env.execute_query(SQL("SELECT date_from, rate FROM relance_rate WHERE kind = %s", kind))
        return [(d, r) for d, r in rows]

    @api.model
    def _penalty_rate_function(self, company, public_buyer=False):
        """A ``day -> rate`` function for the late-payment interest of ``company``."""
        self.env.flush_all()
        ecb, legal = self._rate_table("ecb"), self._rate_table("legal_pro")
        stipulated = 0.0 if public_buyer else company.relance_stipulated_rate
        points = 8.0 if public_buyer else 10.0
        return lambda day: relance_rules.penalty_rate(day, ecb, legal, stipulated, points)

    @api.model
    def _public_buyer_terms(self, invoice, batch=None):
        """``(due date, day -> rate)`` of a public buyer's late-payment interest on ``invoice``:
        the payment delay counts from the Chorus Pro deposit when known (CCP R2192-12: the same
        number of days as the invoice's terms, from the deposit instead of the invoice date), and
        one rate applies to the whole delay, the ECB rate in force on the first day of the
        half-year in which interest began, + 8 points (CCP R2192-31). The rate is None when that
        half-year has no ECB row (said on the reminder, never guessed)."""
        due = invoice.invoice_date_due
        if invoice.relance_chorus_date:
            term = (due - invoice.invoice_date).days if invoice.invoice_date and due else 30
            due = fields.Date.add(invoice.relance_chorus_date, days=max(term, 0))
        cache = batch if batch is not None else {}
        if "ecb" not in cache:
            self.env.flush_all()
            cache["ecb"] = self._rate_table("ecb")
        rate = relance_legal.public_rate(fields.Date.add(due, days=1), cache["ecb"])
        return due, lambda _day: rate
