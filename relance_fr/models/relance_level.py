from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import compat

CHANNELS = [
    ("email", "Email"),
    ("letter", "Letter"),
    ("email_letter", "Email and letter"),
    ("registered_letter", "Registered letter"),
    ("registered_letter_email", "Registered letter and email"),
    ("phone", "Phone call"),
]


@compat.sql_constraints(
    ("policy_days_unique", "UNIQUE(policy_id, days)", "Two levels of a scenario cannot share the same day."),
)
class RelanceLevel(models.Model):
    _name = "relance.level"
    _description = "Dunning level"
    _order = "policy_id, sequence, days"
    _check_company_auto = True

    policy_id = fields.Many2one(
        "relance.policy", string="Scenario", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    days = fields.Integer(
        required=True, help="Trigger in days from the invoice due date (negative: before it)."
    )
    channel = fields.Selection(CHANNELS, required=True, default="email")
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Template",
        domain="[('model', '=', 'relance.reminder')]",
    )
    needs_validation = fields.Boolean(
        help="The reminder waits for an accounting manager's validation before it goes out."
    )
    suspend_partner = fields.Boolean("Suspend customer")
    notify_salesperson = fields.Boolean("Tell the salesperson")
    apply_penalties = fields.Boolean(help="Show the 40 € indemnity and late interest.")

    @api.model_create_multi
    def create(self, vals_list):
        levels = super().create(vals_list)
        levels._recompute_invoice_dates()
        return levels

    def write(self, vals):
        res = super().write(vals)
        if "days" in vals:
            self._recompute_invoice_dates()
        return res

    def _recompute_invoice_dates(self):
        """Levels moved: the next reminder dates of open invoices move with them."""
        self.env["account.move"].search(
            [
                ("company_id", "in", self.company_id.ids),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ]
        )._relance_recompute_next_date()

    @api.constrains("days", "sequence", "policy_id")
    def _check_days_follow_sequence(self):
        for policy in self.policy_id:
            days = [lv.days for lv in policy.level_ids.sorted(lambda lv: (lv.sequence, lv.days))]
            if days != sorted(days):
                raise ValidationError(
                    self.env._(
                        "In scenario %(policy)s, the levels' days must increase with their order.",
                        policy=policy.display_name,
                    )
                )
