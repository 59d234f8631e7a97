from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import compat
from ..tools import relance_collection, relance_legal, relance_letter, relance_rules


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
        "A rate below 3 times the legal interest rate is refused (Code de commerce L441-10 II).",
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
        domain=lambda self: [(compat.USER_GROUPS, "in", self.env.ref("account.group_account_manager").ids)],
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
        "Legal form",
        help="Printed with the other legal mentions on letters, schedules, statements and collection "
        "files, e.g. 'SAS' (Code de commerce R123-238).",
    )
    relance_share_capital = fields.Monetary(
        "Share capital",
        currency_field="currency_id",
        help="Printed as 'au capital de …' after the legal form (Code de commerce R123-238).",
    )
    relance_rcs_city = fields.Char(
        "RCS city",
        help="City of the trade and companies register (greffe) where the company is registered, printed "
        "as 'RCS Lyon 123 456 789' (Code de commerce R123-237).",
    )
    relance_rate_warning = fields.Char("Missing rates", compute="_compute_relance_rate_warning")
    relance_french_law = fields.Boolean(
        "French law for foreign buyers",
        default=True,
        help="Your terms of sale choose French law for sales abroad: L441-10 penalties and the 40 € "
        "indemnity are claimed from foreign professionals too. Off: a foreign customer's reminders "
        "claim interest as agreed in your terms of sale, without French figures (otherwise the Vienna "
        "Convention, CISG art. 78, governs).",
    )
    relance_consumer_mediator = fields.Char(
        "Consumer mediator",
        help="The consumer mediator your company belongs to (Code de la consommation L612-1): named, with "
        "its website, to a consumer whose complaint is rejected (L616-1, R616-1).",
    )
    relance_consumer_mediator_address = fields.Char("Mediator's address")
    relance_consumer_mediator_url = fields.Char("Mediator's website")
    relance_mentions_warning = fields.Char(
        "Missing legal mentions", compute="_compute_relance_mentions_warning"
    )

    @api.depends(
        "relance_legal_form",
        "relance_share_capital",
        "relance_rcs_city",
        "company_registry",
        "vat",
        "street",
        "city",
    )
    def _compute_relance_mentions_warning(self):
        labels = {
            "legal_form": self.env._("legal form"),
            "capital": self.env._("share capital"),
            "rcs_city": self.env._("RCS city"),
            "siren": self.env._("SIREN (company registry)"),
            "office": self.env._("registered office address"),
        }
        for company in self:
            missing = relance_legal.missing_mentions(*company._relance_mention_values()[:5])
            if not missing:
                company.relance_mentions_warning = False
                continue
            company.relance_mentions_warning = self.env._(
                "Letters, schedules, statements and collection files must state the legal form, share "
                "capital, registered office and the RCS city with the SIREN (Code de commerce R123-237, "
                "R123-238). Missing: %(missing)s.",
                missing=", ".join(labels[key] for key in missing),
            )

    def _compute_relance_rate_warning(self):
        today = fields.Date.context_today(self)
        Rate = self.env["relance.rate"]
        kinds = dict(Rate._fields["kind"]._description_selection(self.env))
        missing = relance_legal.missing_rates(
            today, {kind: Rate._rate_table(kind) for kind in ("ecb", "legal_pro")}
        )
        text = missing and self.env._(
            "Rates missing in Accounting > Configuration > Dunning > Interest rates, to add before "
            "penalties are computed without them: %(missing)s.",
            missing="; ".join(
                self.env._("%(kind)s from %(date)s", kind=kinds[kind], date=start.strftime("%d/%m/%Y"))
                for start, kind in missing
            ),
        )
        for company in self:
            company.relance_rate_warning = text or False

    @api.constrains("relance_stipulated_rate")
    def _check_relance_stipulated_rate(self):
        # C. com. L441-10 II: a stipulated rate may not be lower than three times the legal rate; a
        # lower rate exposes the creditor itself (L441-16): refused with the reason, never raised
        # silently. Checked against the half-year of today (no row for it: nothing to check).
        today = fields.Date.context_today(self)
        legal = relance_rules.rate_on(self.env["relance.rate"]._rate_table("legal_pro"), today)
        for company in self:
            rate = company.relance_stipulated_rate
            if rate and legal is not None and rate < 3 * legal - 1e-9:
                shown = {
                    key: ("%.2f" % value).replace(".", ",")
                    for key, value in (("rate", rate), ("floor", 3 * legal), ("legal", legal))
                }
                raise ValidationError(
                    self.env._(
                        "A late-payment rate of %(rate)s %% is below the legal floor of %(floor)s %% "
                        "(three times the legal interest rate of %(legal)s %% this half-year, Code de "
                        "commerce L441-10 II). Terms of sale stating a lower rate expose the company to "
                        "a fine (L441-16): correct the terms of sale and enter a rate of at least "
                        "%(floor)s %%, or leave it empty for the ECB rate + 10 points.",
                        rate=shown["rate"],
                        floor=shown["floor"],
                        legal=shown["legal"],
                    )
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

    def _relance_foreign_law(self, partner):
        """True when French law does not govern the sale to ``partner``: a customer abroad while
        the terms of sale do not choose French law (LEGAL-FR §7)."""
        self.ensure_one()
        country = partner.commercial_partner_id.country_id
        return bool(not self.relance_french_law and country and country != self.country_id)

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
            compat.group_users(self.env.ref("account.group_account_manager").sudo())
            .filtered(lambda u: self in u.company_ids and u.active and not u.share and u not in technical)
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

    def _relance_mention_values(self):
        """``(legal form, capital, RCS city, SIREN, registered office, SIRET, VAT)`` as printed."""
        self.ensure_one()
        siret = self["siret"] if "siret" in self._fields else ""
        capital = ""
        if self.relance_share_capital:
            capital = self.env["relance.reminder"]._fmt_amount(self.relance_share_capital, self.currency_id)
        office = ", ".join(
            filter(None, [self.street, self.street2, " ".join(filter(None, [self.zip, self.city]))])
        )
        return (
            self.relance_legal_form or "",
            capital,
            self.relance_rcs_city or relance_legal.registry_city(self.company_registry),
            relance_collection.siren(self.company_registry, siret, self.vat),
            office,
            siret or "",
            self.vat or "",
        )

    def _relance_legal_mentions(self):
        """The two lines of legal mentions printed at the foot of our documents."""
        self.ensure_one()
        form, capital, city, siren, office, siret, vat = self._relance_mention_values()
        return relance_legal.company_mentions(self.name, form, capital, city, siren, office, siret, vat)

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
