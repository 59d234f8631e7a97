from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .relance_promise import SOURCES
from .relance_reminder import LANG, MAIL_LAYOUT

# aligned on the refusal reasons of the French e-invoicing reform (lifecycle status "refusée")
REASONS = [
    ("not_received", "Goods or service not received"),
    ("quality", "Quality not as ordered"),
    ("quantity", "Quantity not as ordered"),
    ("price", "Price not as agreed"),
    ("already_paid", "Already paid"),
    ("duplicate", "Duplicate invoice"),
    ("order", "Order reference missing or wrong"),
    ("other", "Other"),
]


class RelanceDispute(models.Model):
    """A customer disputes an invoice: out of dunning while the dispute is open, kept out when
    accepted (until a credit note settles it), back in when rejected (the customer is told why)."""

    _name = "relance.dispute"
    _description = "Disputed invoice"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    invoice_id = fields.Many2one(
        "account.move",
        required=True,
        index=True,
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('payment_state', 'in', ('not_paid', 'partial'))]",
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", related="invoice_id.commercial_partner_id", store=True, index=True
    )
    company_id = fields.Many2one(related="invoice_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="invoice_id.currency_id")
    amount_residual = fields.Monetary(related="invoice_id.amount_residual", currency_field="currency_id")
    date = fields.Date("Opened on", required=True, readonly=True, default=fields.Date.context_today)
    reason = fields.Selection(REASONS, required=True, tracking=True)
    description = fields.Text(help="What the customer says is wrong.")
    source = fields.Selection(
        SOURCES + [("einvoice", "E-invoicing platform")], required=True, default="phone"
    )
    amount_disputed = fields.Monetary(
        "Disputed amount",
        currency_field="currency_id",
        help="Empty: the whole invoice, out of dunning while the dispute is open. Set (an invoice "
        "approved in part on the e-invoicing platform): the rest is still claimed.",
    )
    state = fields.Selection(
        [("open", "Open"), ("accepted", "Accepted"), ("rejected", "Rejected")],
        default="open",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    reject_reason = fields.Text(
        "Why it is rejected", help="Sent to the customer with the rejection: say why the invoice stands."
    )
    user_id = fields.Many2one(
        "res.users", string="AR specialist", default=lambda self: self.env.user, tracking=True
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "relance_dispute_attachment_rel",
        "dispute_id",
        "attachment_id",
        string="Attachments",
        help="Delivery notes, photos, the customer's letter...",
    )
    credit_note_ids = fields.One2many(related="invoice_id.reversal_move_ids", string="Credit notes")

    @api.depends("invoice_id", "reason")
    def _compute_display_name(self):
        labels = dict(self._fields["reason"]._description_selection(self.env))
        for dispute in self:
            dispute.display_name = " – ".join(
                filter(None, [dispute.invoice_id.name, labels.get(dispute.reason)])
            )

    @api.model_create_multi
    def create(self, vals_list):
        invoices = self.env["account.move"].browse([vals.get("invoice_id") for vals in vals_list])
        self._relance_check_invoices(invoices)
        disputes = super().create(vals_list)
        for dispute in disputes:
            dispute._relance_open()
        return disputes

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_accept(self):
        """The customer is right: the invoice stays out of dunning until a credit note settles it."""
        self._relance_check_manager()
        self._relance_check_open()
        self.write({"state": "accepted"})
        for dispute in self:
            dispute.invoice_id.sudo().relance_excluded_reason = self.env._(
                "Dispute accepted (%(reason)s): a credit note settles the invoice.",
                reason=dispute._reason_label(),
            )
            dispute.activity_feedback(["mail.mail_activity_data_todo"])
            dispute.message_post(
                body=self.env._(
                    "Dispute accepted by %(user)s: create the credit note.", user=self.env.user.name
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )

    def action_create_credit_note(self):
        """Odoo's reversal wizard on the disputed invoice."""
        self.ensure_one()
        if self.state != "accepted":
            raise UserError(self.env._("Accept the dispute before crediting its invoice."))
        action = self.invoice_id.action_reverse()
        action["context"] = {
            "active_model": "account.move",
            "active_ids": self.invoice_id.ids,
            "default_journal_id": self.invoice_id.journal_id.id,
            "default_reason": self.env._("Dispute: %(reason)s", reason=self._reason_label()),
        }
        return action

    def action_reject(self):
        """The invoice stands: dunning resumes and the customer is told why."""
        self._relance_check_manager()
        self._relance_check_open()
        for dispute in self:
            if not (dispute.reject_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Say why the dispute on %(invoice)s is rejected: the customer receives it.",
                        invoice=dispute.invoice_id.name,
                    )
                )
            dispute._relance_check_mediator()
        self.write({"state": "rejected"})
        template = self.env.ref("relance_fr.mail_template_dispute_rejected")
        for dispute in self:
            invoice = dispute.invoice_id.sudo()
            if not invoice.relance_dispute_ids.filtered(lambda d: d.state in ("open", "accepted")):
                invoice.write({"relance_excluded": False, "relance_excluded_reason": False})
            dispute.activity_feedback(["mail.mail_activity_data_todo"])
            # through Odoo's mail queue, as the reminders: the email is evidence, kept with its fate
            dispute.with_context(
                lang=LANG, mail_notify_force_send=False, relance_customer_only=True
            ).message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid=MAIL_LAYOUT,
            )

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    @api.model
    def _relance_check_invoices(self, invoices):
        for invoice in invoices:
            if not invoice or invoice.move_type != "out_invoice":
                raise UserError(self.env._("A dispute is about a customer invoice."))
            if invoice.state != "posted":
                raise UserError(
                    self.env._(
                        "%(invoice)s is not a posted invoice (cancelled or draft): nothing to dispute.",
                        invoice=invoice.display_name,
                    )
                )
            if invoice.payment_state not in ("not_paid", "partial"):
                raise UserError(
                    self.env._(
                        "%(invoice)s is already paid: nothing to dispute.", invoice=invoice.display_name
                    )
                )
            if invoice.relance_dispute_ids.filtered(lambda d: d.state == "open"):
                raise UserError(
                    self.env._("%(invoice)s is already under an open dispute.", invoice=invoice.display_name)
                )

    def _relance_check_manager(self):
        if not self.env.user.has_group("account.group_account_manager"):
            raise UserError(self.env._("Only an accounting manager can accept or reject a dispute."))

    def _relance_check_open(self):
        for dispute in self:
            if dispute.state != "open":
                raise UserError(
                    self.env._("The dispute %(dispute)s is already settled.", dispute=dispute.display_name)
                )

    def _reason_label(self):
        self.ensure_one()
        return dict(self._fields["reason"]._description_selection(self.env)).get(self.reason, "")

    def _relance_open(self):
        """The invoice leaves the dunning; the AR specialist and the salesperson are told."""
        self.ensure_one()
        invoice = self.invoice_id.sudo()  # the dispute's decision, whoever records it
        said = (self.description or "").strip()[:120]
        if not self.amount_disputed:  # a part only (e-invoicing status 206): the rest is still claimed
            invoice.write(
                {
                    "relance_excluded": True,
                    "relance_excluded_reason": self.env._(
                        "Dispute: %(reason)s%(description)s",
                        reason=self._reason_label(),
                        description=" – " + said if said else "",
                    ),
                }
            )
        body = self.env._(
            "%(partner)s disputes %(invoice)s (%(reason)s): out of dunning until the dispute is settled.",
            partner=self.partner_id.display_name,
            invoice=invoice.name,
            reason=self._reason_label(),
        )
        if self.amount_disputed:
            body = self.env._(
                "%(partner)s disputes %(amount)s of %(invoice)s (%(reason)s): only the rest is claimed.",
                partner=self.partner_id.display_name,
                amount=self.env["relance.reminder"]._fmt_amount(self.amount_disputed, invoice.currency_id),
                invoice=invoice.name,
                reason=self._reason_label(),
            )
        specialist = self.company_id._relance_specialist(self.partner_id) or self.user_id or self.env.user
        # accepting or rejecting a dispute is an accounting manager's decision: the validator's
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=fields.Date.context_today(self),
            summary=self.env._("Settle the dispute on %(invoice)s", invoice=invoice.name),
            note=body,
            user_id=(self.company_id._relance_validator() or specialist).id,
        )
        salesperson = self.partner_id.user_id or invoice.invoice_user_id
        invoice.message_post(
            body=Markup("<p>%s</p>") % body,
            message_type="notification",
            subtype_xmlid="mail.mt_note",
            partner_ids=(salesperson | specialist).partner_id.ids,
        )
        if salesperson and salesperson != specialist:
            # on the customer: a salesperson may have no access to disputes
            self.partner_id.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(self),
                summary=self.env._("Your customer disputes %(invoice)s", invoice=invoice.name),
                note=body,
                user_id=salesperson.id,
            )

    def _relance_check_mediator(self):
        """A consumer whose complaint is rejected is told which consumer mediator it may turn to,
        with its website (C. conso L616-1, R616-1): refused while the company has not set one."""
        self.ensure_one()
        if self.partner_id._relance_debtor_kind() != "consumer":
            return
        company = self.company_id
        if not company.relance_consumer_mediator or not company.relance_consumer_mediator_url:
            raise UserError(
                self.env._(
                    "%(partner)s is a consumer: rejecting its dispute must name the consumer mediator "
                    "%(company)s belongs to, with its website (Code de la consommation L616-1, R616-1). "
                    "Set the mediator's name and website in the dunning settings first.",
                    partner=self.partner_id.name,
                    company=company.name,
                )
            )

    def _relance_mail_values(self):
        """What the rejection email says, in the customer's language."""
        self.ensure_one()
        Reminder = self.env["relance.reminder"]
        lang = self._relance_lang()
        label_env = self.with_context(lang=lang).env  # the reasons' labels in the customer's language
        invoice = self.invoice_id
        specialist = self.company_id._relance_specialist(self.partner_id) or self.user_id
        contact = self.partner_id.browse(self.partner_id.address_get(["invoice"])["invoice"])
        return {
            "salutation": contact._relance_salutation(lang)[0],
            "invoice": invoice.name,
            "invoice_date": Reminder._fmt_date(invoice.invoice_date, lang=lang) or False,
            "date_due": Reminder._fmt_date(invoice.invoice_date_due, lang=lang) or False,
            "residual": Reminder._fmt_amount(invoice.amount_residual, invoice.currency_id, lang=lang),
            "opened_on": Reminder._fmt_date(self.date, lang=lang),
            "reason": dict(self._fields["reason"]._description_selection(label_env)).get(self.reason, ""),
            "why": self.reject_reason or "",
            "url": self.partner_id._relance_portal_url(),
            "specialist_name": specialist.name or self.company_id.name,
            "signature": self.company_id.with_context(lang=lang)._relance_signature(specialist)
            if lang != LANG
            else self.company_id._relance_signature(specialist),
            "specialist_email": specialist.email or self.company_id.email or "",
            "specialist_phone": specialist.phone or self.company_id.phone or "",
            "company": self.company_id.name,
            "contact": contact,
            # C. conso L616-1, R616-1: a consumer is told of the mediator
            "consumer": self.partner_id._relance_debtor_kind() == "consumer",
            "mediator": self.company_id.relance_consumer_mediator or "",
            "mediator_address": self.company_id.relance_consumer_mediator_address or "",
            "mediator_url": self.company_id.relance_consumer_mediator_url or "",
        }

    def _relance_sender(self):
        self.ensure_one()
        return self.env["relance.event"]._sender(self.partner_id, self.company_id)

    def _relance_lang(self):
        """The language of the customer's messages (res.partner._relance_lang)."""
        return self[:1].partner_id._relance_lang()
