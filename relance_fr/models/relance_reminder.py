from odoo import api, fields, models

from .relance_level import CHANNELS

STATES = [
    ("draft", "Draft"),
    ("to_validate", "To validate"),
    ("to_send", "To send"),
    ("to_print", "To print"),
    ("sent", "Sent"),
    ("error", "Error"),
    ("cancel", "Cancelled"),
]


class RelanceReminder(models.Model):
    _name = "relance.reminder"
    _description = "Payment reminder"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    level_id = fields.Many2one(
        "relance.level", string="Level", required=True, index=True, check_company=True
    )
    channel = fields.Selection(CHANNELS, required=True, help="Channel as sent, after any fallback.")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    invoice_ids = fields.Many2many(
        "account.move",
        "relance_reminder_account_move_rel",
        "reminder_id",
        "move_id",
        string="Invoices",
        check_company=True,
    )
    amount_due = fields.Monetary("Amount due", currency_field="currency_id")
    penalty_amount = fields.Monetary("Penalties", currency_field="currency_id")
    state = fields.Selection(STATES, default="draft", required=True, index=True, tracking=True)
    error_message = fields.Text()
    letter_attachment_id = fields.Many2one("ir.attachment", string="Letter (PDF)", copy=False)
    tracking_number = fields.Char(copy=False, tracking=True)
    user_id = fields.Many2one("res.users", string="AR specialist", index=True)

    @api.depends("partner_id", "level_id", "date")
    def _compute_display_name(self):
        for reminder in self:
            reminder.display_name = " – ".join(
                filter(None, [reminder.level_id.name, reminder.partner_id.name])
            )
