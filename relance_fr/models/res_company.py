from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    relance_specialist_id = fields.Many2one(
        "res.users",
        string="Default AR specialist",
        help="Signs the reminders and receives their activities when a customer has none.",
    )
    relance_stipulated_rate = fields.Float(
        "Late-payment rate (%)",
        digits=(5, 2),
        help="Rate of your terms of sale. Empty: ECB main refinancing rate + 10 points. "
        "Never below 3 times the legal interest rate.",
    )
    relance_formal_notice_days = fields.Integer("Formal notice delay (days)", default=15)

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS base: every new company gets the default dunning scenarios
        companies = super().create(vals_list)
        self.env["relance.policy"]._create_default_policies(companies)
        return companies

    def _relance_specialist(self, partner):
        """The AR specialist for ``partner``: the customer's own, else the company's."""
        self.ensure_one()
        return partner.commercial_partner_id.relance_specialist_id or self.relance_specialist_id
