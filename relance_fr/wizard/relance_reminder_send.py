from odoo import fields, models


class RelanceReminderSend(models.TransientModel):
    _name = "relance.reminder.send"
    _description = "Send a reminder now"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
