import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import split_every

from ..tools import relance_rules
from .ir_actions_report import DOCUMENTS_PER_CALL
from .relance_level import CHANNELS

_logger = logging.getLogger(__name__)

STATES = [
    ("draft", "Draft"),
    ("to_validate", "To validate"),
    ("to_send", "To send"),
    ("to_print", "To print"),
    ("to_call", "To call"),
    ("sent", "Sent"),
    ("error", "Error"),
    ("cancel", "Cancelled"),
]
LETTER_CHANNELS = ("letter", "email_letter", "registered_letter", "registered_letter_email")
EMAIL_CHANNELS = ("email", "email_letter", "registered_letter_email")
LETTER_ONLY_CHANNELS = ("letter", "registered_letter")
# a channel without its email part (the email failed) or without its letter part (no address)
WITHOUT_EMAIL = {"email_letter": "letter", "registered_letter_email": "registered_letter"}
WITHOUT_LETTER = {"email_letter": "email", "registered_letter_email": "email"}
LANG = "fr_FR"
# the layout of the messages posted to customers: no "Powered by", no unfollow link
MAIL_LAYOUT = "relance_fr.relance_mail_layout"
MIMETYPES = {"pdf": "application/pdf", "html": "text/html"}  # what _relance_render gives


class RelanceReminder(models.Model):
    _name = "relance.reminder"
    _description = "Payment reminder"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    level_id = fields.Many2one("relance.level", required=True, index=True, check_company=True)
    channel = fields.Selection(CHANNELS, required=True, help="Channel as sent, after any fallback.")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    invoice_ids = fields.Many2many(
        "account.move",
        "relance_reminder_account_move_rel",
        "reminder_id",
        "move_id",
        string="Invoices",
        check_company=True,
        help="Every invoice the message lists.",
    )
    level_invoice_ids = fields.Many2many(
        "account.move",
        "relance_reminder_level_move_rel",
        "reminder_id",
        "move_id",
        string="Invoices at this level",
        check_company=True,
        help="The invoices the message is about: those reaching its level. The others it lists "
        "are the customer's other overdue invoices, each at its own stage.",
    )
    # not summed when grouped: a customer's Relance 2 and Relance 3 ask for the same debt
    amount_due = fields.Monetary("Amount due", currency_field="currency_id", aggregator=None)
    penalty_amount = fields.Monetary("Penalties", currency_field="currency_id", aggregator=None)
    state = fields.Selection(STATES, default="draft", required=True, index=True, tracking=True)
    error_message = fields.Text()
    letter_attachment_id = fields.Many2one("ir.attachment", string="Letter (PDF)", copy=False)
    tracking_number = fields.Char(copy=False, tracking=True)
    user_id = fields.Many2one("res.users", string="AR specialist", index=True)
    announces_suspension = fields.Boolean(
        readonly=True,
        copy=False,
        help="This message tells the customer its account is suspended; later ones say it remains so.",
    )
    is_registered = fields.Boolean(compute="_compute_is_registered")
    rate_warning = fields.Char(compute="_compute_rate_warning")

    @api.depends("partner_id", "level_id", "date")
    def _compute_display_name(self):
        for reminder in self:
            reminder.display_name = " – ".join(
                filter(None, [reminder.level_id.name, reminder.partner_id.name])
            )

    @api.depends("channel")
    def _compute_is_registered(self):
        for reminder in self:
            reminder.is_registered = reminder.channel in ("registered_letter", "registered_letter_email")

    @api.depends("penalty_amount", "date", "invoice_ids")
    def _compute_rate_warning(self):
        """An interest rate not confirmed yet in the rate table is said to be provisional."""
        unconfirmed = self.env["relance.rate"].search([("confirmed", "=", False), ("kind", "=", "ecb")])
        for reminder in self:
            starts = set()
            if reminder.penalty_amount and reminder.id:
                starts = {
                    relance_rules.half_year_start(line["date_start"])
                    for line in reminder._relance_penalties()["lines"]
                }
            provisional = unconfirmed.filtered(lambda r, s=starts: r.date_from in s)
            reminder.rate_warning = (
                self.env._(
                    "Provisional interest: the ECB rate of the half-year starting %(dates)s is not "
                    "confirmed in the rate table. Check it before relying on the interest.",
                    dates=", ".join(provisional.mapped(lambda r: r.date_from.strftime("%d/%m/%Y"))),
                )
                if provisional
                else False
            )

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_validate(self):
        """A formal notice is validated on what will leave: the letter is built now, shown, and
        that very letter goes once confirmed (``relance.reminder.validate``)."""
        self._relance_check_validation()
        return self.env["relance.reminder.validate"]._action_open(self)

    def _relance_check_validation(self):
        if not self.env.user.has_group("account.group_account_manager"):
            raise UserError(self.env._("Only an accounting manager can validate a formal notice."))
        for reminder in self:
            if reminder.state != "to_validate":
                raise UserError(
                    self.env._("%(reminder)s is not waiting for validation.", reminder=reminder.display_name)
                )

    def _relance_validate(self):
        """Validated by an accounting manager, as shown: it goes out now with the letter built for
        the validation; its invoices reach its level and the salesperson is told."""
        self._relance_check_validation()
        for reminder in self:
            reminder.activity_feedback(["mail.mail_activity_data_todo"])
            reminder.message_post(body=self.env._("Validated by %(user)s.", user=self.env.user.name))
            reminder.with_context(relance_letter_ready=True)._relance_deliver()
            reminder._relance_mark_invoices()
            if reminder.level_id.notify_salesperson:
                reminder._relance_notify_salesperson()

    def action_cancel(self):
        for reminder in self:
            if reminder.state in ("to_validate",) and not self.env.user.has_group(
                "account.group_account_manager"
            ):
                raise UserError(self.env._("Only an accounting manager can cancel a formal notice."))
            if reminder.state == "sent":
                raise UserError(self.env._("%(reminder)s was already sent.", reminder=reminder.display_name))
        self.activity_unlink(["mail.mail_activity_data_todo", "mail.mail_activity_data_call"])
        self._relance_cancel_mails()
        self.write({"state": "cancel"})

    def action_mark_sent(self):
        """Letters printed and posted: record it. A registered letter needs its tracking number
        (the tracking wizard asks for it). A reminder whose email still waits in the mail queue
        stays ``to_send`` until it leaves."""
        for reminder in self:
            if reminder.state != "to_print":
                raise UserError(
                    self.env._("%(reminder)s is not waiting to be printed.", reminder=reminder.display_name)
                )
            if reminder.is_registered and not reminder.tracking_number:
                raise UserError(
                    self.env._(
                        "%(reminder)s is a registered letter: record its tracking number to mark it "
                        "posted (Mark as Posted asks for it).",
                        reminder=reminder.display_name,
                    )
                )
        self.write({"letter_posted_date": fields.Date.context_today(self)})
        self._relance_settle()

    def action_relance_promise(self):
        """A promise to pay in answer to this reminder, about its invoices still open."""
        self.ensure_one()
        invoices = self.invoice_ids.filtered(lambda m: m.payment_state in ("not_paid", "partial"))
        return self.env["relance.promise"]._relance_action_new(self.partner_id, invoices, self.company_id)

    def action_relance_plan(self):
        """A payment plan in answer to this reminder, for its invoices still open."""
        self.ensure_one()
        invoices = self.invoice_ids.filtered(lambda m: m.payment_state in ("not_paid", "partial"))
        return self.env["relance.plan"]._relance_action_new(self.partner_id, invoices, self.company_id)

    def action_print_letters(self):
        """The letters of the selected reminders, as one PDF with one letter each."""
        letters = self.filtered(lambda r: r.channel in LETTER_CHANNELS)
        if not letters:
            raise UserError(self.env._("None of the selected reminders goes by letter."))
        letters = letters._relance_refresh_letters()  # dated the day they are printed
        if not letters:
            raise UserError(
                self.env._("Every invoice of these letters was paid meanwhile: nothing to print.")
            )
        # config=False: the letter draws its own letterhead, no document layout to set up first
        return self.env.ref("relance_fr.action_report_relance_letter").report_action(letters, config=False)

    # ------------------------------------------------------------------
    # What a reminder writes (queued during a run)
    # ------------------------------------------------------------------
    def _relance_queue(self, kind, vals):
        """Create now, or, during a run, with the rest of the batch once every customer is done."""
        queue = self.env.context.get("relance_queue")
        now = queue is None
        if now:
            queue = self.env["relance.run"]._new_queue()
        if kind == "letters":
            queue[kind] |= vals
        else:
            queue[kind].append(vals)
        if now:
            self.env["relance.run"]._write_queue(queue)

    def _relance_note(self, record, body, partners=None, attachments=None):
        """Queue an internal note in the chatter of ``record``."""
        self._relance_queue("notes", self._relance_note_vals(record, body, partners, attachments))

    def _relance_note_vals(self, record, body, partners=None, attachments=None):
        return {
            "model": record._name,
            "res_id": record.id,
            "message_type": "notification",
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            "author_id": self.env.user.partner_id.id,
            "reply_to": self.company_id.email_formatted or self.env.user.email_formatted,
            "body": Markup("<p>%s</p>") % body,
            "partner_ids": [(6, 0, partners.ids if partners else [])],
            "attachment_ids": [(6, 0, attachments.ids if attachments else [])],
        }

    def _relance_activity(self, record, activity_xmlid, summary, note, user):
        """Queue a to-do (or a call) for ``user`` on ``record``, due on the reminder's date."""
        self._relance_queue(
            "activities",
            {
                "res_model_id": self.env["ir.model"]._get_id(record._name),
                "res_id": record.id,
                "activity_type_id": self.env["ir.model.data"]._xmlid_to_res_id(activity_xmlid),
                "summary": summary,
                "note": Markup("<p>%s</p>") % note,
                "user_id": user.id,
                "date_deadline": self.date,
                # created by the run: Odoo's activity_feedback / activity_unlink close them
                "automated": True,
            },
        )

    # ------------------------------------------------------------------
    # Going out: email, letter, call
    # ------------------------------------------------------------------
    def _relance_channel(self):
        """``(channel, fallback)``: the level's channel as the customer takes it; ``fallback``
        when an email goes by letter for want of an address."""
        return relance_rules.effective_channel(
            self.level_id.channel,
            self.partner_id.relance_channel,
            bool(self._relance_values()["contact"].email),
            has_phone=self._relance_has_phone(),
        )

    def _relance_process_one(self):
        self.ensure_one()
        partner = self.partner_id
        level = self.level_id
        values = self._relance_values()
        if self._relance_channel()[1]:
            self._relance_note(
                self,
                self.env._(
                    "%(partner)s has no email address: this reminder goes by letter.",
                    partner=values["contact"].display_name,
                ),
            )
        self._relance_note_no_phone()  # relance_reminder_call.py
        penalties = values["penalties"]
        if penalties["missing"]:
            missing = ", ".join(self._fmt_date(d) for d in penalties["missing"])
            _logger.warning("Reminder %s: no rate for the half-year(s) of %s", self.id, missing)
            self._relance_note(
                self,
                self.env._(
                    "No interest rate is known for the half-year(s) starting %(dates)s: "
                    "complete the rate table; those days bear no interest here.",
                    dates=missing,
                ),
            )
        if len(values["currencies"]) > 1:
            self._relance_note(
                self,
                self.env._(
                    "%(partner)s owes invoices in several currencies (%(currencies)s): the message "
                    "gives one total per currency, and nothing is converted.",
                    partner=partner.display_name,
                    currencies=", ".join(sorted(c.name for c in values["currencies"])),
                ),
            )
        if not level.needs_validation:  # a formal notice marks its invoices once validated
            self._relance_mark_invoices()
        if level.notify_salesperson and not level.needs_validation:
            self._relance_notify_salesperson()
        if level.suspend_partner and not partner.relance_public_buyer and not partner.relance_suspended:
            # the run's decision, whoever triggers it: billing users may not edit customers
            partner.sudo().relance_suspended = True
            self._relance_note(
                partner,
                self.env._("Account suspended for late payment (%(level)s).", level=level.name),
            )
        if level.needs_validation:
            self.state = "to_validate"
            validator = self.company_id._relance_validator()
            chosen = self.company_id.relance_validator_id
            if chosen and chosen != validator:
                self._relance_note(
                    self,
                    self.env._(
                        "%(chosen)s, set to validate formal notices, is no longer an accounting "
                        "manager: the validation is asked of %(validator)s.",
                        chosen=chosen.name,
                        validator=validator.name,
                    ),
                )
            self._relance_activity(
                self,
                "mail.mail_activity_data_todo",
                self.env._("Validate the formal notice"),
                self.env._(
                    "Formal notice to %(partner)s for %(amount)s: validate it or cancel it.",
                    partner=partner.display_name,
                    amount=values["net_due"],
                ),
                validator,
            )
            return
        self._relance_deliver()

    def _relance_mark_invoices(self):
        """The listed invoices reach the level this message gives each (the run's marks; by
        default the reminder's level for the invoices it is about) and are reminded today."""
        batch = self.env.context.get("relance_batch") or {}
        marks = batch.get("due_marks", {}).get(self.id) or [(self.level_id.id, self.level_invoice_ids.ids)]
        for level_id, invoice_ids in marks:
            self._relance_queue(
                "marks", (self.level_id.browse(level_id), self.date, self.invoice_ids.browse(invoice_ids))
            )
        # the other invoices listed were reminded today too, at the stage they have
        others = self.invoice_ids - self.invoice_ids.browse([i for _l, ids in marks for i in ids])
        if others:
            self._relance_queue("marks", (None, self.date, others))

    def _relance_deliver(self):
        """Send the email part, produce the letter part, or hand the call to the specialist."""
        self.ensure_one()
        channel = self.channel
        if channel == "phone":
            script = self._relance_call_script()  # relance_reminder_call.py
            self._relance_supersede_calls()
            self._relance_activity(
                self,
                "mail.mail_activity_data_call",
                self.env._("Call %(partner)s about overdue invoices", partner=self.partner_id.name),
                script,
                self.user_id or self.env.user,
            )
            self.state = "to_call"  # sent once the call is done (mail_activity.py)
            return
        if channel in EMAIL_CHANNELS:
            # to_send (the email in Odoo's mail queue) until the queue hands it to the SMTP
            # server (mail_mail.py); the letter part, when there is one, waits to be posted
            self._relance_send_email()
            self.mail_state = "queued"
        if channel in LETTER_CHANNELS:
            if self.env.context.get("relance_letter_ready") and self.letter_attachment_id:
                self._relance_note(  # the letter shown at validation
                    self, self.env._("Letter ready to print."), attachments=self.letter_attachment_id
                )
            else:
                self._relance_queue("letters", self)
            self.state = "to_print"
        else:
            self.state = "to_send"

    def _relance_send_email(self):
        self.ensure_one()
        rendered = (self.env.context.get("relance_batch") or {}).get("emails", {})
        if self.id not in rendered:  # a formal notice validated: rendered now
            problem = self.env["relance.run"]._render_emails(self, self.level_id.mail_template_id, rendered)
            if problem:
                raise UserError(problem[self])
        values = rendered[self.id]
        attachments = self.env["ir.attachment"]
        if self.company_id.relance_attach_invoice_pdf:
            prepared = (self.env.context.get("relance_batch") or {}).get("attachments", {})
            attachments = (
                prepared[self.id] if self.id in prepared else self._relance_invoice_attachments()[self.id]
            )
        # queued directly (the mail composer costs as much again): the mail carries its
        # chatter message, to the invoicing contact, kept as evidence
        recipients = [(6, 0, values.get("partner_ids", []))]
        message = {
            "model": self._name,
            "res_id": self.id,
            "message_type": "comment",
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
            "author_id": (self._relance_specialist().partner_id or self.company_id.partner_id).id,
            "email_from": values.get("email_from"),
            "reply_to": values.get("email_from"),
            "subject": values.get("subject"),
            "body": values.get("body_html"),
            "partner_ids": recipients,
            "attachment_ids": [(6, 0, attachments.ids)],
        }
        mail = {
            "body_html": values.get("body_html"),
            "recipient_ids": recipients,
            "auto_delete": False,
            "relance_reminder_id": self.id,
        }
        self._relance_queue("mails", (message, mail))

    def _relance_invoice_attachments(self):
        """The PDFs of the reminders' invoices, attached to each reminder: ``{reminder id:
        attachments}``. An invoice's stored PDF is reused; the others are rendered together,
        a hundred at a time so that memory stays bounded."""
        result = defaultdict(lambda: self.env["ir.attachment"])
        pairs = [(reminder, inv) for reminder in self for inv in reminder.invoice_ids]
        for chunk in split_every(DOCUMENTS_PER_CALL, pairs):
            missing = self.env["account.move"].union(
                *(inv for _r, inv in chunk if not inv.invoice_pdf_report_id)
            )
            contents = self._relance_render("account.account_invoices", missing) if missing else {}
            vals_list = []
            for reminder, inv in chunk:
                stored = inv.invoice_pdf_report_id
                content, ext = (stored.raw, None) if stored else contents[inv.id]
                mimetype = stored.mimetype if stored else MIMETYPES[ext]
                vals_list.append(
                    {
                        "name": stored.name if stored else inv._get_invoice_report_filename(ext),
                        "raw": content,
                        "res_model": self._name,
                        "res_id": reminder.id,
                        "mimetype": mimetype,
                    }
                )
            attachments = self.env["ir.attachment"].create(vals_list)
            for (reminder, _inv), attachment in zip(chunk, attachments, strict=True):
                result[reminder.id] |= attachment
            # the contents are in the file store now: out of the cache
            (attachments | missing.invoice_pdf_report_id).invalidate_recordset(["raw", "datas"])
        return result

    @api.model
    def _relance_render(self, report_ref, records):
        """``{record id: (content, extension)}``, one wkhtmltopdf call for all records
        (HTML in test mode unless the context forces rendering)."""
        reports = self.env["ir.actions.report"]
        streams, kind = reports._pre_render_qweb_pdf(report_ref, res_ids=records.ids)
        if kind == "pdf":
            return {rid: (data["stream"].getvalue(), "pdf") for rid, data in streams.items()}
        return {rec.id: (reports._render_qweb_html(report_ref, rec.ids)[0], "html") for rec in records}

    def _relance_make_letters(self, post=True):
        """Render the letters of the reminders, a hundred per wkhtmltopdf call, keep each on its
        reminder (and in its chatter unless ``post`` is false: the caller then posts its own
        note)."""
        for chunk in split_every(DOCUMENTS_PER_CALL, self.ids, self.browse):
            contents = self._relance_render("relance_fr.action_report_relance_letter", chunk)
            attachments = self.env["ir.attachment"].create(
                [
                    {
                        "name": "Relance %s %s.%s"
                        % (reminder.partner_id.name, reminder.date.strftime("%Y-%m-%d"), ext),
                        "raw": content,
                        "res_model": reminder._name,
                        "res_id": reminder.id,
                        "mimetype": MIMETYPES[ext],
                    }
                    for reminder in chunk
                    for content, ext in [contents[reminder.id]]
                ]
            )
            for reminder, attachment in zip(chunk, attachments, strict=True):
                reminder.with_context(relance_rebuild=True).letter_attachment_id = attachment
            if post:
                note = self.env._("Letter ready to print.")
                self.env["mail.message"].sudo().create(
                    [
                        reminder._relance_note_vals(reminder, note, attachments=attachment)
                        for reminder, attachment in zip(chunk, attachments, strict=True)
                    ]
                )
            attachments.invalidate_recordset(["raw", "datas"])

    def _relance_notify_salesperson(self):
        self.ensure_one()
        partner = self.partner_id.sudo()  # an internal note, whoever triggers the reminder
        salesperson = partner.user_id
        note = self.env._(
            "%(level)s sent to %(partner)s for %(amount)s overdue.",
            level=self.level_id.name,
            partner=partner.display_name,
            amount=self._fmt_amount(self.amount_due),
        )
        self._relance_note(partner, note, salesperson.partner_id)
        if salesperson:
            self._relance_salesperson_task(partner, salesperson, note)  # relance_reminder_call.py
