import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from .. import compat
from ..tools import relance_calendar
from .relance_reminder import EMAIL_CHANNELS, LETTER_CHANNELS, WITHOUT_EMAIL

_logger = logging.getLogger(__name__)

MAIL_STATES = [
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("exception", "Refused"),
    ("bounced", "Bounced"),
]
DELIVERY_STATUSES = [
    ("delivered", "Delivered"),
    ("refused", "Refused"),
    ("unclaimed", "Not claimed"),
    ("address_unknown", "Address unknown"),
]
# the customer had the letter presented on the delivery date: the formal notice's delay counts
# from it ("pli avisé et non réclamé" included); a letter returned as undeliverable never was
PRESENTED = ("delivered", "refused", "unclaimed")


# split by responsibility (files under ~500 lines): the record and its buttons, its facts, its delivery
class RelanceReminder(models.Model):
    """What became of a reminder once it left the run: its email in Odoo's mail queue, at the
    SMTP server and back as a bounce; its letter posted and acknowledged; its call made."""

    _inherit = "relance.reminder"  # pylint: disable=consider-merging-classes-inherited

    mail_state = fields.Selection(
        MAIL_STATES,
        readonly=True,
        copy=False,
        tracking=True,
        help="Queued: in Odoo's mail queue. Sent: the SMTP server accepted it. Refused: the SMTP "
        "server refused it (the reason is kept). Bounced: the recipient's server sent it back.",
    )
    mail_ids = fields.One2many("mail.mail", "relance_reminder_id", string="Emails", readonly=True)
    letter_posted_date = fields.Date("Posted on", readonly=True, copy=False)
    letter_date = fields.Date(
        "Letter dated",
        readonly=True,
        copy=False,
        help="The day the letter was printed: its date, and the day its deadline counts from (its "
        "email, when it has one, left on the reminder's date).",
    )
    print_age = fields.Integer(
        "Waiting (days)", compute="_compute_print_age", help="Days the letter has been waiting to be posted."
    )
    print_late = fields.Boolean(
        "Waiting too long",
        compute="_compute_print_age",
        search="_search_print_late",
        help="The letter has waited longer than the company's print wait: the account's dunning no "
        "longer waits for it.",
    )
    print_late_notified = fields.Boolean(readonly=True, copy=False)
    delivery_date = fields.Date(
        "Delivered on",
        copy=False,
        tracking=True,
        help="From the acknowledgment of receipt: the day the letter was delivered, or first "
        "presented when refused or not claimed.",
    )
    delivery_status = fields.Selection(DELIVERY_STATUSES, copy=False, tracking=True)
    # the list of calls to make shows who to call and how the last call went
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")
    partner_mobile = fields.Char("Mobile", compute="_compute_partner_mobile")
    last_call_result_id = fields.Many2one(
        related="partner_id.relance_last_call_result_id", string="Last call outcome"
    )
    last_call_date = fields.Date(related="partner_id.relance_last_call_date", string="Last call on")
    call_script = fields.Html(
        "What to say", compute="_compute_call_script", help="The call's script, from its activity."
    )
    deadline_date = fields.Date(
        "Payment deadline",
        compute="_compute_deadline_date",
        help="The formal notice's final delay, from the delivery (or first presentation) date when "
        "the acknowledgment of receipt came back, from the reminder's date otherwise.",
    )

    @api.depends("partner_id")
    def _compute_partner_mobile(self):
        for reminder in self:
            reminder.partner_mobile = compat.partner_mobile(reminder.partner_id)

    @api.depends("state", "date", "company_id.relance_print_wait_days")
    def _compute_print_age(self):
        today = fields.Date.context_today(self)
        for reminder in self:
            waiting = reminder.state == "to_print"
            reminder.print_age = (today - reminder.date).days if waiting and reminder.date else 0
            reminder.print_late = waiting and reminder.print_age > reminder.company_id.relance_print_wait_days

    def _search_print_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on the print wait."))
        today = fields.Date.context_today(self)
        late = self.search([("state", "=", "to_print")]).filtered(
            lambda r: (today - r.date).days > r.company_id.relance_print_wait_days
        )
        return [("id", "in" if (operator == "=") == value else "not in", late.ids)]

    @api.depends("activity_ids.note", "activity_ids.active")
    def _compute_call_script(self):
        call = self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
        for reminder in self:
            # a call done is gone (18.0) or archived (19.0): only a call still to make has a script
            activities = reminder.activity_ids.filtered(lambda a: a.active and a.activity_type_id == call)
            reminder.call_script = activities[:1].note

    @api.depends(
        "date",
        "letter_date",
        "delivery_date",
        "delivery_status",
        "letter_posted_date",
        "company_id.relance_formal_notice_days",
    )
    def _compute_deadline_date(self):
        for reminder in self:
            reminder.deadline_date = reminder.date and reminder._relance_deadline()

    def action_log_call(self):
        """The call of a phone reminder: its outcome, and the promise or dispute it leads to. The
        reminder is brought up to date first: what the customer answered since is not asked for
        again (cancelled, with a note, when nothing is left)."""
        self.ensure_one()
        if self.state == "to_call" and not self._relance_rebuild():
            return True
        return (
            self.env["relance.call.wizard"].with_company(self.company_id)._action_open(self.partner_id, self)
        )

    def action_retry(self):
        """Reminders in error, once the cause is fixed: prepared again for today and sent."""
        if not self or any(r.state != "error" for r in self):
            raise UserError(self.env._("Only reminders in error can be retried."))
        today = fields.Date.context_today(self)
        for company, reminders in self.grouped("company_id").items():
            self.env["relance.run"].with_company(company)._retry(reminders, today)

    # ------------------------------------------------------------------
    # States from the parts
    # ------------------------------------------------------------------
    def _relance_deadline(self):
        """The last day of the final delay: from the first presentation when the acknowledgment
        came back, else from the posting, else from the reminder's date (its email's day), moved to
        the next working day (tools/relance_calendar)."""
        self.ensure_one()
        presented = self.delivery_date if self.delivery_status in PRESENTED else False
        start = presented or self.letter_posted_date or self._relance_day()
        return relance_calendar.deadline(start, self.company_id.relance_formal_notice_days or 15)

    def _relance_day(self):
        """The day the message speaks from: its letter's date once printed, else its own."""
        self.ensure_one()
        return self.letter_date or self.date

    def _relance_settle(self):
        """The state its parts give a reminder on its way: ``to_print`` while its letter waits to
        be posted, ``to_send`` while its email waits in the mail queue, ``sent`` once both are
        done."""
        for reminder in self.filtered(lambda r: r.state in ("to_send", "to_print")):
            email_waits = reminder.channel in EMAIL_CHANNELS and reminder.mail_state == "queued"
            letter_waits = reminder.channel in LETTER_CHANNELS and not reminder.letter_posted_date
            state = "to_print" if letter_waits else "to_send" if email_waits else "sent"
            if state != reminder.state:
                reminder.state = state

    def action_resend(self):
        """Send a reminder's email again, exactly as it went (same text, same attachments, same
        recipients): the history keeps what was said, never a new version of it."""
        self.check_access("write")  # those who send reminders; auditors only read them
        for reminder in self:
            first = reminder.sudo().mail_ids.sorted("id")[:1]
            if reminder.state != "sent" or not first:
                raise UserError(
                    self.env._(
                        "%(reminder)s has no email that went out: there is nothing to send again.",
                        reminder=reminder.display_name,
                    )
                )
            message = first.mail_message_id
            again = message.copy({"date": fields.Datetime.now()})
            self.env["mail.mail"].sudo().create(
                {
                    "mail_message_id": again.id,
                    "body_html": first.body_html,
                    "recipient_ids": [(6, 0, first.recipient_ids.ids)],
                    "email_to": first.email_to,
                    "auto_delete": False,
                    "relance_reminder_id": reminder.id,
                }
            )
            reminder.message_post(
                body=self.env._(
                    "Sent again on %(date)s: the same message, with the same attachments.",
                    date=reminder._fmt_date(fields.Date.context_today(self)),
                )
            )
        return True

    def _relance_cancel_mails(self):
        """The emails still queued for cancelled reminders do not leave."""
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("relance_reminder_id", "in", self.ids), ("state", "=", "outgoing")])
        )
        mails.write({"state": "cancel"})
        mails.relance_reminder_id.filtered(lambda r: r.mail_state == "queued").mail_state = False

    def _relance_note_missing_letter(self):
        self.ensure_one()
        self._relance_note(
            self,
            self.env._(
                "%(partner)s has no complete postal address (street, zip, city): the letter of this "
                "level is missing, the email goes alone.",
                partner=self.partner_id.display_name,
            ),
        )

    def _relance_call_done(self):
        """The call activity of a phone reminder was marked done: the reminder went out."""
        self.filtered(lambda r: r.state == "to_call").state = "sent"

    # ------------------------------------------------------------------
    # The email's fate (mail_mail.py, the mail gateway)
    # ------------------------------------------------------------------
    def _relance_mail_sent(self):
        """Odoo's mail queue handed the email to the SMTP server."""
        queued = self.filtered(lambda r: r.mail_state == "queued")
        queued.mail_state = "sent"
        queued._relance_settle()

    def _relance_mail_failed(self, reason, bounced=False):
        """The SMTP server refused the email, or it bounced. Each reminder is handled once:
        a second bounce for a reminder already turned into a letter does nothing."""
        for reminder in self.filtered(lambda r: r.mail_state in ("queued", "sent")):
            reminder._relance_email_lost(reason, bounced)

    def _relance_email_lost(self, reason, bounced):
        """The same reminder as a letter when the customer has a postal address and the company
        turns lost emails into letters; the letter part alone when it has one; ``error`` with the
        reason otherwise. What the reminder said is kept; only how it goes changes (a system
        write, past the freeze of sent reminders)."""
        self.ensure_one()
        self = self.with_context(relance_rebuild=True)  # noqa: PLW0642
        email = self._relance_contact().email or ""
        if bounced:
            what = self.env._("The email to %(email)s bounced (%(reason)s).", email=email, reason=reason)
        else:
            what = self.env._(
                "The mail server refused the email to %(email)s: %(reason)s", email=email, reason=reason
            )
        vals = {"mail_state": "bounced" if bounced else "exception"}
        if self.state == "cancel":
            self.write(vals)
            self._relance_note(self, what)
        elif self.channel in LETTER_CHANNELS:
            self.write({**vals, "channel": WITHOUT_EMAIL.get(self.channel, self.channel)})
            self._relance_note(self, "%s %s" % (what, self.env._("The letter goes alone.")))
            self._relance_settle()
        elif self._relance_courtesy_past_due():
            # a courtesy notice once its invoices are due would tell a late customer it has
            # nothing to do: the dunning takes over
            self.write({**vals, "state": "cancel"})
            self._relance_note(
                self,
                "%s %s"
                % (what, self.env._("Not sent by letter: its invoices are due now, the dunning takes over.")),
            )
        elif self.company_id.relance_bounce_to_letter and self.partner_id._relance_has_address():
            self._relance_turn_into_letter(vals, what)
        else:
            why = (
                self.env._(
                    "%(partner)s has no complete postal address for a letter.",
                    partner=self.partner_id.display_name,
                )
                if self.company_id.relance_bounce_to_letter
                else self.env._("Letters instead of lost emails are turned off in the settings.")
            )
            message = "%s %s" % (what, why)
            self.write({**vals, "state": "error", "error_message": message})
            self._relance_note(self, message)

    def _relance_courtesy_past_due(self, today=None):
        """A courtesy notice whose invoices have reached their due date: too late to go."""
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        return self.level_id.days <= 0 and any(
            inv.invoice_date_due and inv.invoice_date_due <= today for inv in self.invoice_ids
        )

    def _relance_turn_into_letter(self, vals, what):
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self.write({**vals, "channel": "letter", "state": "to_print", "letter_posted_date": False})
                self._relance_make_letters(post=False)
                note = "%s %s" % (what, self.env._("This reminder goes by letter."))
                self._relance_queue(
                    "notes", self._relance_note_vals(self, note, attachments=self.letter_attachment_id)
                )
        except Exception as exc:  # noqa: BLE001 - the email's fate must be kept whatever happens
            _logger.warning("Reminder %s: letter after a lost email failed: %s", self.id, exc)
            message = "%s %s" % (what, self.env._("The letter could not be made: %(error)s", error=exc))
            self.write({**vals, "state": "error", "error_message": message})

    def _message_receive_bounce(self, email, partner):
        # EXTENDS mail: a bounce routed back to a reminder's email turns it into a letter
        result = super()._message_receive_bounce(email, partner)
        self.sudo()._relance_mail_failed(self.env._("returned by the recipient's mail server"), bounced=True)
        return result
