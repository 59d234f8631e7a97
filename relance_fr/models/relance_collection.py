from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..tools import relance_legal
from .relance_reminder import LANG, MAIL_LAYOUT, WITHOUT_LETTER

EMAIL_WITH_LETTER = tuple(WITHOUT_LETTER)

PROCEDURES = [
    ("agency", "Collection agency"),
    ("small_claims", "Small claims procedure"),
    ("injunction", "Injunction to pay"),
    ("administrative", "Administrative claim (référé-provision)"),
    ("other", "Other"),
]
COURTS = [
    ("commerce", "Commercial court"),
    ("activites_economiques", "Economic activities court"),
    ("judiciaire", "Judicial court"),
    ("administratif", "Administrative court"),
]
STATES = [
    ("draft", "Draft"),
    ("handed_over", "Handed over"),
    ("recovered", "Recovered"),
    ("abandoned", "Abandoned"),
]
OPEN_STATES = ("draft", "handed_over")
EXCLUSION_REASON = "Recouvrement contentieux"
SUMMARY_REPORT = "relance_fr.action_report_relance_collection"


class RelanceCollection(models.Model):
    _name = "relance.collection"
    _description = "Collection file"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Debtor", required=True, index=True, tracking=True, readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    invoice_ids = fields.Many2many(
        "account.move",
        "relance_collection_account_move_rel",
        "collection_id",
        "move_id",
        string="Invoices",
        check_company=True,
        readonly=True,
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="Penalties are computed on this date.",
    )
    handed_to_id = fields.Many2one(
        "res.partner",
        string="Handed to",
        tracking=True,
        help="The lawyer, collection agency or commissaire de justice who receives the file.",
    )
    procedure = fields.Selection(PROCEDURES, required=True, default="injunction", tracking=True)
    court = fields.Selection(
        COURTS,
        compute="_compute_court",
        help="Court of the claim: the administrative court for a public buyer; the commercial court "
        "(economic activities court in its 12 trial sites) for a merchant, a commercial company or an "
        "artisan; the judicial court for other professionals and consumers.",
    )
    amount_principal = fields.Monetary("Principal", currency_field="currency_id", readonly=True)
    amount_penalties = fields.Monetary(
        "Penalties",
        currency_field="currency_id",
        readonly=True,
        help="Fixed indemnities and late interest on the date of the file.",
    )
    amount_total = fields.Monetary(
        "Total claimed", compute="_compute_amount_total", currency_field="currency_id"
    )
    state = fields.Selection(STATES, default="draft", required=True, index=True, tracking=True, readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="File (ZIP)", readonly=True, copy=False)
    user_id = fields.Many2one("res.users", string="AR specialist", default=lambda self: self.env.user)
    reminder_ids = fields.Many2many("relance.reminder", compute="_compute_reminder_ids", string="Reminders")
    note = fields.Text()

    @api.depends("partner_id", "date")
    def _compute_display_name(self):
        for collection in self:
            collection.display_name = " – ".join(
                filter(None, [collection.partner_id.name, collection.date and str(collection.date)])
            )

    @api.depends("partner_id", "date")
    def _compute_court(self):
        for collection in self:
            partner = collection.partner_id
            collection.court = partner and relance_legal.court(
                partner._relance_debtor_kind(), partner.city, collection.date
            )

    @api.depends("amount_principal", "amount_penalties")
    def _compute_amount_total(self):
        for collection in self:
            collection.amount_total = collection.amount_principal + collection.amount_penalties

    @api.depends("partner_id", "invoice_ids")
    def _compute_reminder_ids(self):
        for collection in self:
            collection.reminder_ids = collection._relance_reminders()

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS base: a file only for open invoices of one customer of the company
        for vals in vals_list:
            self.new({"company_id": self.env.company.id, **vals})._relance_check_invoices()
        collections = super().create(vals_list)
        for collection in collections:
            collection._relance_update_amounts()
        return collections

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_hand_over(self):
        """Build the file (ZIP), stop the dunning of its invoices and log it."""
        for collection in self:
            if collection.state != "draft":
                raise UserError(self.env._("%(file)s was already handed over.", file=collection.display_name))
            if not collection.handed_to_id:
                raise UserError(
                    self.env._(
                        "To whom is %(file)s handed over? Name the lawyer, collection agency or "
                        "commissaire de justice in 'Handed to' first.",
                        file=collection.display_name,
                    )
                )
            collection._relance_check_invoices()
        for collection in self:
            collection._relance_update_amounts()
            collection.attachment_id = collection._relance_build_file()
            collection._relance_close_reminders()
            collection.invoice_ids.write(
                {"relance_excluded": True, "relance_excluded_reason": EXCLUSION_REASON}
            )
            collection.state = "handed_over"
            recipient = collection.handed_to_id.display_name
            body = self.env._(
                "Collection file handed over (%(to)s): %(count)s invoice(s), %(amount)s principal, "
                "%(penalties)s penalties. The dunning of these invoices stops.",
                to=recipient,
                count=len(collection.invoice_ids),
                amount=collection._fmt_amount(collection.amount_principal),
                penalties=collection._fmt_amount(collection.amount_penalties),
            )
            collection.message_post(body=body, attachment_ids=collection.attachment_id.ids)
            # a note on the customer, whoever hands the file over (billing users may not edit customers)
            collection.partner_id.sudo().message_post(
                body=Markup("%s <a href='#' data-oe-model='%s' data-oe-id='%s'>%s</a>")
                % (body, collection._name, collection.id, collection.display_name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _relance_close_reminders(self):
        """The reminders still waiting about the handed-over invoices (to validate, to print, to
        call) are closed with a note: those about these invoices only are cancelled, the others
        leave these invoices out; a letter whose email already left stays as that email."""
        self.ensure_one()
        pending = self.env["relance.reminder"].search(
            [
                ("invoice_ids", "in", self.invoice_ids.ids),
                ("state", "in", ("draft", "to_validate", "to_print", "to_call")),
            ]
        )
        names = ", ".join(self.invoice_ids.mapped("name"))
        for reminder in pending:
            rest = reminder.invoice_ids - self.invoice_ids
            open_rest = rest.filtered(lambda m: m.payment_state in ("not_paid", "partial"))
            reminder.activity_unlink(["mail.mail_activity_data_todo", "mail.mail_activity_data_call"])
            if open_rest and reminder.state in ("draft", "to_validate", "to_call"):
                reminder.with_context(relance_rebuild=True).write(
                    {
                        "invoice_ids": [Command.set(rest.ids)],
                        "level_invoice_ids": [
                            Command.set((reminder.level_invoice_ids & rest).ids or rest.ids)
                        ],
                        "amount_due": sum(rest.mapped("amount_residual_signed")),
                    }
                )
                reminder.message_post(
                    body=self.env._(
                        "%(invoices)s handed over for collection (%(file)s): no longer listed.",
                        invoices=names,
                        file=self.display_name,
                    )
                )
                continue
            reminder.message_post(
                body=self.env._(
                    "Closed: handed over for collection (%(file)s, %(invoices)s).",
                    file=self.display_name,
                    invoices=names,
                )
            )
            if (
                reminder.state == "to_print"
                and reminder.channel in EMAIL_WITH_LETTER
                and (reminder.mail_state in ("queued", "sent"))
            ):
                # its email stays as it went
                reminder.with_context(relance_rebuild=True).channel = WITHOUT_LETTER[reminder.channel]
                reminder._relance_settle()
            else:
                reminder.state = "cancel"

    def action_send_file(self):
        """Email the file to whoever it was handed to."""
        template = self.env.ref("relance_fr.mail_template_collection_file")
        for collection in self:
            if collection.state != "handed_over" or not collection.attachment_id:
                raise UserError(
                    self.env._("%(file)s has not been handed over yet.", file=collection.display_name)
                )
            if not collection.handed_to_id.email:
                raise UserError(
                    self.env._(
                        "Who receives %(file)s? Set a recipient with an email address.",
                        file=collection.display_name,
                    )
                )
            collection.with_context(lang=LANG).message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid=MAIL_LAYOUT,
                attachment_ids=collection.attachment_id.ids,
            )
        return True

    def action_recovered(self):
        self._relance_close("recovered")
        return True

    def action_abandoned(self):
        self._relance_close("abandoned")
        return True

    def _relance_close(self, state):
        for collection in self:
            if collection.state != "handed_over":
                raise UserError(
                    self.env._("%(file)s has not been handed over yet.", file=collection.display_name)
                )
        self.write({"state": state})

    # ------------------------------------------------------------------
    # Checks and amounts
    # ------------------------------------------------------------------
    def _relance_check_invoices(self):
        """A clear message when the file cannot be made: no open invoice, a paid, excluded or
        disputed one, one already in an open file, another customer or company."""
        self.ensure_one()
        partner, company, invoices = self.partner_id, self.company_id, self.invoice_ids._origin
        if partner != partner.commercial_partner_id:
            raise UserError(self.env._("A collection file is made for the customer, not for a contact."))
        owner = partner.sudo().company_id
        if (owner and owner != company) or company not in self.env.companies:
            raise UserError(
                self.env._(
                    "%(partner)s is not a customer of %(company)s.",
                    partner=partner.name,
                    company=company.name,
                )
            )
        if not invoices:
            raise UserError(self.env._("%(partner)s has no open invoice to hand over.", partner=partner.name))
        problems = []
        for inv in invoices:
            if inv.company_id != company:
                problems.append(
                    self.env._("%(invoice)s belongs to another company.", invoice=inv.display_name)
                )
            elif inv.commercial_partner_id != partner:
                problems.append(
                    self.env._(
                        "%(invoice)s is not an invoice of %(partner)s.",
                        invoice=inv.display_name,
                        partner=partner.name,
                    )
                )
            elif inv.move_type != "out_invoice" or inv.state != "posted":
                problems.append(
                    self.env._("%(invoice)s is not a posted customer invoice.", invoice=inv.display_name)
                )
            elif inv.payment_state not in ("not_paid", "partial") or inv.amount_residual <= 0:
                problems.append(self.env._("%(invoice)s is paid.", invoice=inv.display_name))
            elif inv.relance_excluded:
                problems.append(
                    self.env._(
                        "%(invoice)s is excluded from dunning (%(reason)s).",
                        invoice=inv.display_name,
                        reason=inv.relance_excluded_reason or self.env._("no reason given"),
                    )
                )
        others = self.sudo().search(
            [
                ("id", "not in", self._origin.ids),
                ("invoice_ids", "in", invoices.ids),
                ("state", "in", OPEN_STATES),
            ]
        )
        for other in others:
            for inv in other.invoice_ids & invoices:
                problems.append(
                    self.env._(
                        "%(invoice)s is already in the collection file %(file)s.",
                        invoice=inv.display_name,
                        file=other.display_name,
                    )
                )
        if problems:
            raise UserError("\n".join(problems))

    def _relance_update_amounts(self):
        self.ensure_one()
        penalties = self._relance_penalties()
        self.write(
            {
                "amount_principal": sum(self.invoice_ids.mapped("amount_residual_signed")),
                "amount_penalties": penalties["total"],
            }
        )

    def _relance_penalties(self):
        """Penalties on the date of the file, as a reminder computes them."""
        return self.env["relance.reminder"]._relance_penalties_of(
            self.company_id, self.partner_id, self.invoice_ids, self.date
        )

    def _relance_reminders(self):
        """Reminders that went out to the customer about these invoices, oldest first."""
        self.ensure_one()
        if not self.invoice_ids:
            return self.env["relance.reminder"]
        return self.env["relance.reminder"].search(
            [
                ("partner_id", "=", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("invoice_ids", "in", self.invoice_ids.ids),
                ("state", "in", ("sent", "to_print")),
            ],
            order="date, id",
        )

    def _fmt_amount(self, amount, currency=None):
        return self.env["relance.reminder"]._fmt_amount(amount, currency or self.currency_id)

    def _fmt_date(self, day, long=False):
        return self.env["relance.reminder"]._fmt_date(day, long=long)

    def _relance_sender(self):
        """``email_from`` of the file's email: the AR specialist, else the company."""
        self.ensure_one()
        user = self.user_id or self.company_id._relance_specialist(self.partner_id)
        return user.email_formatted if user.email else self.company_id.email_formatted
