from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import relance_letter


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
    relance_print_wait_days = fields.Integer(
        "Print wait (days)",
        default=5,
        help="Days a letter may wait to be printed and posted: past them it is flagged, the AR "
        "specialist gets an activity, and the account's dunning no longer waits for it.",
    )
    relance_promise_grace_days = fields.Integer(
        "Promise grace (days)",
        default=3,
        help="Days after the promised date for the payment to arrive before the promise is broken.",
    )
    relance_promise_max_days = fields.Integer(
        "Longest promise (days)",
        default=30,
        help="The furthest a promised date may be from today; beyond it, only an accounting manager "
        "accepts it.",
    )
    relance_plan_break_days = fields.Integer(
        "Payment plan break (days)",
        default=15,
        help="Days an instalment may be late before the payment plan is broken and dunning resumes.",
    )
    relance_plan_notice_days = fields.Integer(
        "Instalment notice (days)",
        default=5,
        help="Days before each instalment of a payment plan that the customer is reminded of it "
        "(0: on the day).",
    )
    relance_link_days = fields.Integer(
        "Customer page link lifetime (days)",
        default=180,
        help="Days a link to the customer's page keeps working after the last message that carried "
        "it (0: never expires).",
    )
    relance_validator_id = fields.Many2one(
        "res.users",
        string="Formal notice validator",
        domain=lambda self: [("groups_id", "in", self.env.ref("account.group_account_manager").ids)],
        help="The accounting manager asked to validate formal notices (default: the company's "
        "first accounting manager).",
    )
    relance_attach_invoice_pdf = fields.Boolean(
        "Attach invoice PDFs",
        default=True,
        help="Attach the PDF of every listed invoice to the reminder emails (the stored PDF when the "
        "invoice has one). Off: the emails carry the online links only.",
    )
    relance_bounce_to_letter = fields.Boolean(
        "Letter when an email is lost",
        default=True,
        help="When the mail server refuses a reminder's email or it bounces, send the same reminder "
        "by letter to customers with a postal address. Off: the reminder goes to error.",
    )
    relance_welcome_auto = fields.Boolean(
        "Welcome message",
        default=True,
        help="Send the welcome message when the first invoice of a new customer is posted.",
    )
    relance_thanks_mode = fields.Selection(
        [("reminded", "After a reminder"), ("always", "Always"), ("never", "Never")],
        string="Payment thanks",
        default="reminded",
        help="Thank customers for full and partial payments of the invoices that were reminded, "
        "of every invoice, or never.",
    )
    relance_credit_warning_pct = fields.Float(
        "Credit limit warning (%)",
        digits=(5, 1),
        default=90.0,
        help="Tell the customer when its receivable reaches this share of its credit limit.",
    )
    relance_large_balance = fields.Monetary(
        "Large balance",
        currency_field="currency_id",
        help="Tell the customer when its receivable reaches this amount (0: never).",
    )
    relance_statement_auto = fields.Boolean(
        "Monthly statement",
        default=True,
        help="Each month, send a statement of their open items to customers with overdue invoices.",
    )
    relance_statement_day = fields.Integer(
        "Statement day", default=1, help="Day of the month (the last day in a shorter month)."
    )
    relance_statement_last_date = fields.Date("Last statement run", readonly=True, copy=False)
    relance_window_left_mm = fields.Float(
        "Envelope window: left (mm)",
        digits=(5, 1),
        default=110.0,
        help="Distance from the left edge of the A4 page to the recipient's address on letters.",
    )
    relance_window_top_mm = fields.Float(
        "Envelope window: top (mm)",
        digits=(5, 1),
        default=50.0,
        help="Distance from the top edge of the A4 page to the recipient's address on letters.",
    )
    relance_payment_term_warning = fields.Boolean(
        "Payment term warning",
        default=True,
        help="Warn on a customer invoice to a professional whose due date is more than 60 days "
        "after the invoice date (art. L441-10 du Code de commerce). The invoice is never blocked.",
    )
    relance_legal_form = fields.Char(
        "Legal form and capital",
        help="Printed in the footer of letters, e.g. 'SAS au capital de 50 000 €'.",
    )

    @api.constrains("relance_window_left_mm", "relance_window_top_mm")
    def _check_relance_window(self):
        # the address block (at most 85 x 33 mm) must stay on the A4 page (210 x 297 mm)
        for company in self:
            if not (0 <= company.relance_window_left_mm <= 125 and 0 <= company.relance_window_top_mm <= 264):
                raise ValidationError(
                    self.env._(
                        "The envelope window of %(company)s must lie on the page: left between 0 and "
                        "125 mm, top between 0 and 264 mm.",
                        company=company.name,
                    )
                )

    @api.constrains("relance_statement_day", "relance_credit_warning_pct")
    def _check_relance_events(self):
        for company in self:
            if not 1 <= company.relance_statement_day <= 31:
                raise ValidationError(self.env._("The statement day must be between 1 and 31."))
            if not 0 <= company.relance_credit_warning_pct <= 100:
                raise ValidationError(self.env._("The credit limit warning must be between 0 and 100 %."))

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

    def _relance_signature(self, specialist, letter=False):
        """The signature of every message the company sends about its customers' accounts
        (reminders, acknowledgments, event messages, payment plans, letters): one block,
        ``relance_fr.relance_signature``, signed by ``specialist`` (else the company)."""
        self.ensure_one()
        return self.env["ir.qweb"]._render(
            "relance_fr.relance_signature",
            {"signer": specialist.name or self.name, "company": self, "letter": letter},
        )

    def _relance_validator(self):
        """Who takes the decisions only an accounting manager may take (validate a formal notice,
        settle a dispute, end a payment plan): the validator set on the company while an
        accounting manager of it, else the company's first accounting manager; never the
        superuser, OdooBot or the technical administrator, nor a user without the right. Empty
        when the company has no such manager (the screens say so)."""
        self.ensure_one()
        technical = {
            self.env.ref(xmlid, raise_if_not_found=False) for xmlid in ("base.user_root", "base.user_admin")
        }
        managers = (
            self.env.ref("account.group_account_manager")
            .sudo()
            .users.filtered(
                lambda u: self in u.company_ids and u.active and not u.share and u not in technical
            )
            .sorted("id")
        )
        return (self.relance_validator_id & managers) or managers[:1]

    def _relance_validator_warning(self):
        """What the settings and the reminders screen say when no validator is set, or when the
        one set may no longer validate; empty when all is well."""
        self.ensure_one()
        chosen = self.relance_validator_id
        validator = self._relance_validator()
        if chosen and chosen == validator:
            return ""
        if not validator:
            return self.env._(
                "No accounting manager can validate the formal notices of %(company)s: give the "
                "Accounting Administrator right to a user and choose them as Formal notice validator "
                "in the settings.",
                company=self.name,
            )
        if chosen:
            return self.env._(
                "%(chosen)s, set to validate formal notices, is no longer an accounting manager: "
                "formal notices, disputes and payment plans go to %(validator)s meanwhile. Choose "
                "the Formal notice validator in the settings.",
                chosen=chosen.name,
                validator=validator.name,
            )
        return self.env._(
            "No Formal notice validator is set: formal notices, disputes and payment plans go to "
            "%(validator)s, the first accounting manager. Choose who decides in the settings.",
            validator=validator.name,
        )

    def _relance_letter_geometry(self):
        """Where the letters' blocks go on the sheet (see tools/relance_letter.py): the letter's
        paper format and this company's envelope window."""
        self.ensure_one()
        report = self.env["ir.actions.report"]._get_report("relance_fr.action_report_relance_letter")
        paper = report.get_paperformat()
        return relance_letter.window_geometry(
            (paper.print_page_width, paper.print_page_height),
            (paper.margin_top, paper.margin_right, paper.margin_bottom, paper.margin_left),
            self.relance_window_left_mm,
            self.relance_window_top_mm,
        )

    def action_relance_print_window_calibration(self):
        """A page showing the envelope window's frame where letters put the address."""
        return self.env.ref("relance_fr.action_report_relance_window_calibration").report_action(
            self, config=False
        )
