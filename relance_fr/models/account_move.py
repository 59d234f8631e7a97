from odoo import api, fields, models

from ..tools import relance_rules


class AccountMove(models.Model):
    _inherit = "account.move"

    relance_level_id = fields.Many2one(
        "relance.level",
        string="Dunning level",
        copy=False,
        index=True,
        readonly=True,
        help="Highest dunning level reached; empty when never reminded.",
    )
    relance_last_date = fields.Date("Last reminder", copy=False, readonly=True)
    relance_next_date = fields.Date(
        "Next reminder",
        compute="_compute_relance_next_date",
        store=True,
        index=True,
        help="When the next dunning step becomes due.",
    )
    relance_excluded = fields.Boolean("Excluded from dunning", copy=False, tracking=True)
    relance_excluded_reason = fields.Char("Exclusion reason", copy=False, help="E.g. a dispute (litige).")
    relance_reminder_ids = fields.Many2many(
        "relance.reminder",
        "relance_reminder_account_move_rel",
        "move_id",
        "reminder_id",
        string="Reminders",
        copy=False,
        readonly=True,
    )

    @api.depends(
        "relance_level_id",
        "invoice_date_due",
        "payment_state",
        "state",
        "relance_excluded",
        "move_type",
        "commercial_partner_id",
    )
    def _compute_relance_next_date(self):
        policies = {
            company: self.filtered(lambda m: m.company_id == company).commercial_partner_id._relance_policies(
                company
            )
            for company in self.company_id
        }
        for move in self:
            policy = policies.get(move.company_id, {}).get(move.commercial_partner_id.id)
            if (
                not policy
                or move.move_type != "out_invoice"
                or move.state != "posted"
                or move.payment_state not in ("not_paid", "partial")
                or move.relance_excluded
                or not move.invoice_date_due
            ):
                move.relance_next_date = False
                continue
            reached = move.relance_level_id.days if move.relance_level_id else None
            move.relance_next_date = relance_rules.next_date(
                policy._levels_tuples(), move.invoice_date_due, reached
            )

    def _relance_recompute_next_date(self):
        """Recompute the next reminder date (profile or levels changed)."""
        self.env.add_to_compute(self._fields["relance_next_date"], self)

    def _invoice_paid_hook(self):
        # EXTENDS account: a paid customer may leave suspension
        res = super()._invoice_paid_hook()
        self.filtered(lambda m: m.move_type == "out_invoice").commercial_partner_id._relance_lift_suspension()
        return res

    def action_relance_send(self):
        self.ensure_one()
        return self.env["relance.reminder.send"]._action_open(self.commercial_partner_id)
