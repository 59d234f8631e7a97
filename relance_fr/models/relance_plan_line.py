from odoo import api, fields, models
from odoo.exceptions import UserError

AGREED = {"plan_id", "date", "amount"}


class RelancePlanLine(models.Model):
    """One instalment of a payment plan: its date, its amount, what the payments cover of it."""

    _name = "relance.plan.line"
    _description = "Payment plan instalment"
    _order = "date, id"

    plan_id = fields.Many2one("relance.plan", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    date = fields.Date(required=True)
    amount = fields.Monetary(currency_field="currency_id", required=True)
    amount_paid = fields.Monetary("Paid", currency_field="currency_id", readonly=True, copy=False)
    state = fields.Selection(
        [("open", "Open"), ("paid", "Paid"), ("late", "Late")],
        default="open",
        required=True,
        readonly=True,
        copy=False,
    )
    notice_date = fields.Date("Notice sent on", readonly=True, copy=False)
    late_date = fields.Date("Late reminder sent on", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._relance_check_draft()
        return lines

    def write(self, vals):
        if AGREED & set(vals):
            self._relance_check_draft()
        return super().write(vals)

    def unlink(self):
        self._relance_check_draft()
        return super().unlink()

    def _relance_check_draft(self):
        """Once agreed, the schedule stays as the customer received it."""
        agreed = self.plan_id.filtered(lambda p: p.state != "draft")
        if agreed:
            raise UserError(
                self.env._(
                    "The instalments of %(plan)s are agreed: they change only while the plan is a draft.",
                    plan=agreed[0].display_name,
                )
            )
