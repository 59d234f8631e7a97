from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    relance_specialist_id = fields.Many2one(related="company_id.relance_specialist_id", readonly=False)
    relance_stipulated_rate = fields.Float(related="company_id.relance_stipulated_rate", readonly=False)
    relance_formal_notice_days = fields.Integer(
        related="company_id.relance_formal_notice_days", readonly=False
    )
