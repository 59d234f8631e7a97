from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    relance_specialist_id = fields.Many2one(related="company_id.relance_specialist_id", readonly=False)
    relance_stipulated_rate = fields.Float(related="company_id.relance_stipulated_rate", readonly=False)
    relance_formal_notice_days = fields.Integer(
        related="company_id.relance_formal_notice_days", readonly=False
    )
    relance_print_wait_days = fields.Integer(related="company_id.relance_print_wait_days", readonly=False)
    relance_promise_grace_days = fields.Integer(
        related="company_id.relance_promise_grace_days", readonly=False
    )
    relance_promise_max_days = fields.Integer(related="company_id.relance_promise_max_days", readonly=False)
    relance_payment_sent_days = fields.Integer(related="company_id.relance_payment_sent_days", readonly=False)
    relance_einvoice_alias_email = fields.Char(
        related="company_id.relance_einvoice_alias_id.alias_full_name", string="E-invoicing statuses address"
    )
    relance_plan_break_days = fields.Integer(related="company_id.relance_plan_break_days", readonly=False)
    relance_plan_notice_days = fields.Integer(related="company_id.relance_plan_notice_days", readonly=False)
    relance_validator_id = fields.Many2one(related="company_id.relance_validator_id", readonly=False)
    relance_link_days = fields.Integer(related="company_id.relance_link_days", readonly=False)
    relance_public_address_problem = fields.Char(
        "Public address warning", compute="_compute_relance_public_address_problem"
    )
    relance_validator_warning = fields.Char("Validator warning", compute="_compute_relance_validator_warning")
    relance_attach_invoice_pdf = fields.Boolean(
        related="company_id.relance_attach_invoice_pdf", readonly=False
    )
    relance_bounce_to_letter = fields.Boolean(related="company_id.relance_bounce_to_letter", readonly=False)
    relance_welcome_auto = fields.Boolean(related="company_id.relance_welcome_auto", readonly=False)
    relance_thanks_mode = fields.Selection(related="company_id.relance_thanks_mode", readonly=False)
    relance_credit_warning_pct = fields.Float(related="company_id.relance_credit_warning_pct", readonly=False)
    relance_large_balance = fields.Monetary(related="company_id.relance_large_balance", readonly=False)
    relance_statement_auto = fields.Boolean(related="company_id.relance_statement_auto", readonly=False)
    relance_statement_day = fields.Integer(related="company_id.relance_statement_day", readonly=False)
    relance_window_left_mm = fields.Float(related="company_id.relance_window_left_mm", readonly=False)
    relance_window_top_mm = fields.Float(related="company_id.relance_window_top_mm", readonly=False)
    relance_legal_form = fields.Char(related="company_id.relance_legal_form", readonly=False)
    relance_share_capital = fields.Monetary(related="company_id.relance_share_capital", readonly=False)
    relance_rcs_city = fields.Char(related="company_id.relance_rcs_city", readonly=False)
    relance_mentions_warning = fields.Char(related="company_id.relance_mentions_warning")
    relance_rate_warning = fields.Char(related="company_id.relance_rate_warning")
    relance_french_law = fields.Boolean(related="company_id.relance_french_law", readonly=False)
    relance_consumer_mediator = fields.Char(related="company_id.relance_consumer_mediator", readonly=False)
    relance_consumer_mediator_address = fields.Char(
        related="company_id.relance_consumer_mediator_address", readonly=False
    )
    relance_consumer_mediator_url = fields.Char(
        related="company_id.relance_consumer_mediator_url", readonly=False
    )
    relance_payment_term_warning = fields.Boolean(
        related="company_id.relance_payment_term_warning", readonly=False
    )

    @api.depends("company_id")
    def _compute_relance_public_address_problem(self):
        problem = self.env["res.partner"]._relance_public_address_problem()
        for settings in self:
            settings.relance_public_address_problem = problem

    @api.depends("company_id")
    def _compute_relance_validator_warning(self):
        """Said about the saved setting: no validator set, or one who may no longer validate."""
        for settings in self:
            settings.relance_validator_warning = settings.company_id._relance_validator_warning()

    def action_relance_print_window_calibration(self):
        return self.company_id.action_relance_print_window_calibration()
