from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import compat
from ..tools import relance_lang, relance_legal, relance_letter, relance_rules
from .relance_policy import PROFILES

PROFILE_TO_TRUST = {"good": "good", "standard": "normal", "doubtful": "bad"}
TRUST_TO_PROFILE = {v: k for k, v in PROFILE_TO_TRUST.items()}


class ResPartner(models.Model):
    _inherit = "res.partner"

    relance_profile = fields.Selection(
        PROFILES,
        string="Payer profile",
        compute="_compute_relance_profile",
        inverse="_inverse_relance_profile",
        search="_search_relance_profile",
        help="Stored in the degree of trust of the customer (good / normal / bad debtor).",
    )
    relance_channel = fields.Selection(
        [
            ("email", "Email"),
            ("letter", "Letter"),
            ("email_letter", "Email and letter"),
            ("phone", "Phone call"),
        ],
        string="Dunning channel",
        help="Empty: the channel of the scenario's level. A value replaces email and letter on "
        "ordinary levels; registered letters and calls stay.",
    )
    relance_specialist_id = fields.Many2one(
        "res.users", string="AR specialist", help="Falls back to the company's AR specialist."
    )
    relance_excluded = fields.Boolean("Excluded from dunning", tracking=True)
    relance_promise_ids = fields.One2many(
        "relance.promise",
        "partner_id",
        string="Promises to pay",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    relance_plan_ids = fields.One2many(
        "relance.plan",
        "partner_id",
        string="Payment plans",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    relance_dispute_ids = fields.One2many(
        "relance.dispute",
        "partner_id",
        string="Disputes",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    relance_timeline_ids = fields.One2many(
        "relance.timeline",
        "partner_id",
        string="Dunning timeline",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    relance_last_call_result_id = fields.Many2one(
        "relance.call.result",
        string="Last call outcome",
        readonly=True,
        copy=False,
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    relance_last_call_date = fields.Date(
        "Last call on",
        readonly=True,
        copy=False,
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    relance_suspended = fields.Boolean("Account suspended", readonly=True, tracking=True)
    relance_public_buyer = fields.Boolean(
        "Public buyer", help="State, local authority, public hospital: ECB + 8 points, no suspension."
    )
    relance_commercial = fields.Boolean(
        "Merchant",
        compute="_compute_relance_commercial",
        store=True,
        readonly=False,
        help="A merchant, a commercial company or an artisan: a claim goes before the commercial court "
        "(tribunal des activités économiques where one sits), Code de commerce L721-3. Off for liberal "
        "professions, associations, persons and public buyers: the judicial or administrative court.",
    )
    relance_invoice_ids = fields.One2many(
        "account.move",
        "commercial_partner_id",
        string="Invoices (dunning)",
        domain=[("move_type", "=", "out_invoice"), ("state", "=", "posted")],
    )
    relance_level_id = fields.Many2one(
        "relance.level",
        string="Dunning level",
        compute="_compute_relance_level_id",
        store=True,
        help="Highest level reached over the customer's open invoices.",
    )
    relance_reminder_ids = fields.One2many("relance.reminder", "partner_id", string="Reminders")
    relance_checked_date = fields.Date(
        "Last dunning check",
        readonly=True,
        copy=False,
        help="Day the dunning run last looked at this customer (once a day).",
    )
    relance_reminder_count = fields.Integer(compute="_compute_relance_reminder_count")
    relance_bounce_count = fields.Integer(
        "Bounced emails",
        compute="_compute_relance_bounce_count",
        help="Emails to the customer or its contacts that bounced (Odoo's bounce counter).",
    )
    relance_amount_overdue = fields.Monetary(
        "Overdue amount",
        compute="_compute_relance_amount_overdue",
        search="_search_relance_amount_overdue",
        currency_field="currency_id",
    )
    relance_avg_days_late = fields.Float(
        "Average days late",
        digits=(16, 1),
        compute="_compute_relance_payment_habits",
        groups="account.group_account_invoice,account.group_account_readonly",
        help="Over the invoices paid in the last 12 months: days from the due date to the payment "
        "(a payment on time counts as 0).",
    )
    relance_paid_count = fields.Integer(
        "Paid invoices (12 months)",
        compute="_compute_relance_payment_habits",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    relance_suggested_profile = fields.Selection(
        PROFILES,
        string="Suggested profile",
        compute="_compute_relance_payment_habits",
        groups="account.group_account_invoice,account.group_account_readonly",
        help="Good payer up to 7 days late on average, doubtful beyond 30 days, standard in between.",
    )
    relance_credit_warned = fields.Boolean(
        "Credit limit warning sent",
        company_dependent=True,
        readonly=True,
        help="Set when the customer was told its receivable reached the warning share of its credit "
        "limit; cleared when it goes back under, so that the next crossing is told again.",
    )
    relance_balance_warned = fields.Boolean(
        "Large balance message sent",
        company_dependent=True,
        readonly=True,
        help="Set when the customer was told its receivable reached the large-balance threshold; "
        "cleared when it goes back under.",
    )

    @api.depends_context("company")
    @api.depends("trust")
    def _compute_relance_profile(self):
        for partner in self:
            partner.relance_profile = TRUST_TO_PROFILE.get(partner.trust or "normal", "standard")

    def _inverse_relance_profile(self):
        for partner in self:
            partner.trust = PROFILE_TO_TRUST[partner.relance_profile or "standard"]

    def _search_relance_profile(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            return NotImplemented
        values = [value] if isinstance(value, str) else list(value)
        trusts = [PROFILE_TO_TRUST[v] for v in values if v in PROFILE_TO_TRUST]
        positive = operator in ("=", "in")
        domain = [("trust", "in" if positive else "not in", trusts)]
        if ("normal" in trusts) == positive:
            # "normal" is the default: partners without a value are standard payers
            domain = ["|", ("trust", "=", False), *domain] if positive else [("trust", "!=", False), *domain]
        return domain

    @api.depends("is_company", "relance_public_buyer")
    def _compute_relance_commercial(self):
        for partner in self:
            partner.relance_commercial = partner.is_company and not partner.relance_public_buyer

    @api.constrains("relance_public_buyer", "is_company")
    def _check_relance_public_buyer(self):
        for partner in self:
            if partner.relance_public_buyer and not partner.is_company:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is a person: a public buyer is an organisation (State, local "
                        "authority, public hospital). Tick 'Company' first.",
                        partner=partner.display_name,
                    )
                )

    @api.depends(
        "relance_invoice_ids.relance_level_id",
        "relance_invoice_ids.payment_state",
        "relance_invoice_ids.relance_excluded",
    )
    def _compute_relance_level_id(self):
        for partner in self:
            levels = partner.relance_invoice_ids.filtered(
                lambda m: m.payment_state in ("not_paid", "partial") and not m.relance_excluded
            ).relance_level_id
            partner.relance_level_id = max(levels, key=lambda lv: lv.days, default=False)

    def _compute_relance_reminder_count(self):
        counts = dict(
            self.env["relance.reminder"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.relance_reminder_count = counts.get(partner, 0)

    @api.depends("message_bounce", "child_ids.message_bounce")
    def _compute_relance_bounce_count(self):
        for partner in self:
            partner.relance_bounce_count = partner.message_bounce + sum(
                partner.child_ids.mapped("message_bounce")
            )

    def _overdue_domain(self):
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("invoice_date_due", "<", fields.Date.context_today(self)),
            ("company_id", "=", self.env.company.id),
        ]

    @api.depends_context("company")
    def _compute_relance_amount_overdue(self):
        amounts = dict(
            self.env["account.move"]._read_group(
                [*self._overdue_domain(), ("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                ["commercial_partner_id"],
                ["amount_residual_signed:sum"],
            )
        )
        for partner in self:
            partner.relance_amount_overdue = amounts.get(partner.commercial_partner_id, 0.0)

    def _search_relance_amount_overdue(self, operator, value):
        if operator not in (">", ">=", "<", "<=", "=", "!="):
            return NotImplemented
        groups = self.env["account.move"]._read_group(
            self._overdue_domain(), ["commercial_partner_id"], ["amount_residual_signed:sum"]
        )
        ops = {
            ">": lambda a: a > value,
            ">=": lambda a: a >= value,
            "<": lambda a: a < value,
            "<=": lambda a: a <= value,
            "=": lambda a: a == value,
            "!=": lambda a: a != value,
        }
        matches = ops[operator]
        if matches(0.0):  # customers with nothing overdue match too
            return [("commercial_partner_id", "not in", [p.id for p, a in groups if not matches(a)])]
        return [("commercial_partner_id", "in", [p.id for p, a in groups if matches(a)])]

    @api.depends_context("company")
    def _compute_relance_payment_habits(self):
        today = fields.Date.context_today(self)
        pairs = self.env["relance.analysis"]._payment_pairs(
            self.commercial_partner_id, self.env.company, today - timedelta(days=365)
        )
        for partner in self:
            paid = pairs.get(partner.commercial_partner_id.id, [])
            average = relance_rules.average_days_late(paid)
            partner.relance_avg_days_late = average or 0.0
            partner.relance_paid_count = len(paid)
            partner.relance_suggested_profile = relance_rules.suggested_profile(average)

    def _relance_policies(self, company):
        """``{partner id: active policy of company for its profile}``, one search."""
        policies = {
            p.profile: p for p in self.env["relance.policy"].sudo().search([("company_id", "=", company.id)])
        }
        return {partner.id: policies.get(partner.relance_profile) for partner in self.with_company(company)}

    def _relance_is_professional(self):
        """A company, or anyone with a VAT or company registry number, is a professional."""
        self.ensure_one()
        partner = self.commercial_partner_id
        return bool(partner.is_company or partner.vat or partner.company_registry)

    def _relance_debtor_kind(self):
        """``public``, ``commercial``, ``professional`` or ``consumer`` (tools/relance_legal)."""
        self.ensure_one()
        partner = self.commercial_partner_id
        return relance_legal.debtor_kind(
            partner.relance_public_buyer, partner.relance_commercial, partner._relance_is_professional()
        )

    def _relance_postal_lines(self, name, attention, country=None):
        """The address block of a letter to this address: the French form at home, the
        destination country's format (state included) when ``country`` (abroad) is given."""
        self.ensure_one()
        if not country:
            return relance_letter.postal_lines(
                name, attention, self.street, self.street2, self.zip, self.city
            )
        fields = {
            "street": self.street,
            "street2": self.street2,
            "city": self.city,
            "zip": self.zip,
            "state_code": self.state_id.code,
            "state_name": self.state_id.name,
        }
        return relance_letter.foreign_postal_lines(
            name,
            attention,
            country.address_format or "%(street)s\n%(street2)s\n%(zip)s %(city)s",
            fields,
            country.with_context(lang="fr_FR").name,
        )

    def _relance_lang(self):
        """The language of the messages to this customer (tools/relance_lang.message_lang), from
        the language and the country of its commercial partner: ``fr_FR``, or ``en_GB`` for a
        foreign customer that reads English. French for no customer at all."""
        partner = self[:1].commercial_partner_id
        country = partner.country_id or self[:1].country_id
        return relance_lang.message_lang(partner.lang or self[:1].lang, country.code)

    @api.model
    def _relance_update_template_langs(self):
        """Our customer templates still forced to French (installed before the English texts,
        noupdate) take the customer's language; the collection file's stays French."""
        data = self.env["ir.model.data"].search(
            [("module", "=", "relance_fr"), ("model", "=", "mail.template")]
        )
        templates = self.env["mail.template"].browse(data.mapped("res_id")).exists()
        templates.filtered(
            lambda t: t.lang == "fr_FR" and t.model != "relance.collection"
        ).lang = "{{ object._relance_lang() }}"

    def _relance_salutation(self, lang=relance_lang.FRENCH):
        """``(salutation, civility)`` of a message to this contact in ``lang``
        (tools/relance_legal.salutation): its French title and name when it is a person,
        ``Madame, Monsieur,`` when nothing is known (always on 19.0, whose contacts have no
        title); in English, ``(salutation, closing)``
        (tools/relance_lang.salutation)."""
        self.ensure_one()
        if relance_lang.is_english(lang):
            return relance_lang.salutation(
                compat.partner_title(self, shortcut=True), self.name, not self.is_company
            )
        return relance_legal.salutation(compat.partner_title(self), self.name, not self.is_company)

    def action_relance_apply_suggested_profile(self):
        for partner in self.filtered("relance_suggested_profile"):
            partner.commercial_partner_id.relance_profile = partner.relance_suggested_profile
        return True

    def action_relance_reminders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("relance_fr.relance_reminder_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def _relance_receivable_domain(self, company):
        """Open receivable lines (posted, not reconciled) of these customers and their contacts."""
        return [
            ("company_id", "=", company.id),
            ("partner_id", "child_of", self.ids),
            ("account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
        ]

    def _relance_credit_domain(self, company):
        """Open receivable lines owed back to these customers: credit notes and payments not
        reconciled yet."""
        return [*self._relance_receivable_domain(company), ("amount_residual", "<", 0)]

    def _relance_open_credits(self, company):
        """``{commercial partner id: open credits}`` in company currency, in one grouped query."""
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(self._relance_credit_domain(company), ["partner_id"], ["amount_residual:sum"])
        )
        credits = defaultdict(float)
        for partner, amount in groups:
            credits[partner.commercial_partner_id.id] -= amount
        return credits

    def _relance_has_address(self):
        """A letter needs a street, a zip code and a city."""
        self.ensure_one()
        return bool(self.street and self.zip and self.city)

    def write(self, vals):
        # EXTENDS base: a new payer profile moves the next reminder dates
        res = super().write(vals)
        if "trust" in vals or "relance_profile" in vals:
            self.env["account.move"].search(
                [
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("move_type", "=", "out_invoice"),
                    ("payment_state", "in", ("not_paid", "partial")),
                ]
            )._relance_recompute_next_date()
        return res

    def _relance_lift_suspension(self):
        """Lift the suspension of customers who no longer owe any overdue invoice."""
        suspended = self.commercial_partner_id.filtered("relance_suspended")
        if not suspended:
            return
        still_late = {
            partner.id
            for [partner] in self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", suspended.ids),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("invoice_date_due", "<", fields.Date.context_today(self)),
                ],
                ["commercial_partner_id"],
            )
        }
        for partner in suspended.filtered(lambda p: p.id not in still_late):
            partner.sudo().relance_suspended = False
            partner.message_post(body=self.env._("Every overdue invoice is paid: account reactivated."))

    def action_relance_send(self):
        self.ensure_one()
        return self.env["relance.reminder.send"]._action_open(self.commercial_partner_id)

    def action_relance_promise(self):
        """A promise to pay from the customer (its overdue invoices by default)."""
        self.ensure_one()
        return self.env["relance.promise"]._relance_action_new(self.commercial_partner_id)

    def action_relance_plan(self):
        """A payment plan with the customer (its overdue invoices by default)."""
        self.ensure_one()
        return self.env["relance.plan"]._relance_action_new(self.commercial_partner_id)

    def action_relance_log_call(self):
        """Log a call with the customer (its call reminder, when one waits, goes sent)."""
        self.ensure_one()
        return self.env["relance.call.wizard"]._action_open(self.commercial_partner_id)

    def action_relance_send_welcome(self):
        self.ensure_one()
        self.env["relance.event"]._send_welcome(self)
        return True

    def action_relance_send_statement(self):
        self.ensure_one()
        self.env["relance.event"]._send_statement_now(self)
        return True

    def _relance_event_values(self):
        """Facts of the customer messages (see relance.event), in the current company."""
        self.ensure_one()
        return self.env["relance.event"]._partner_values(
            self, self.env.company, self.env.context.get("relance_statement_date")
        )

    def _relance_event_company(self):
        """The company a customer message is sent for (the current one)."""
        return self.env.company

    def _relance_event_sender(self):
        self.ensure_one()
        return self.env["relance.event"]._sender(self.commercial_partner_id, self.env.company)

    def _relance_event_contact(self):
        """The customer's invoicing contact (falls back to the customer itself)."""
        self.ensure_one()
        partner = self.commercial_partner_id
        return partner.browse(partner.address_get(["invoice"])["invoice"])

    def _relance_event_block(self, block, values):
        return self.env["relance.event"]._render_block(block, values)

    @api.model
    def _cron_relance_statement(self):
        return self.env["relance.event"]._cron_statements()
