from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import relance_rules


class RelanceReminderSend(models.TransientModel):
    _name = "relance.reminder.send"
    _description = "Send a reminder now"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    reminder_id = fields.Many2one("relance.reminder", readonly=True)
    level_id = fields.Many2one(related="reminder_id.level_id")
    channel = fields.Selection(related="reminder_id.channel")
    invoice_ids = fields.Many2many(related="reminder_id.invoice_ids")
    amount_due = fields.Monetary(related="reminder_id.amount_due")
    currency_id = fields.Many2one(related="reminder_id.currency_id")
    subject = fields.Char(readonly=True)
    body_html = fields.Html("Message", readonly=True, sanitize=False)
    info = fields.Text(readonly=True)
    bank_warning = fields.Text(compute="_compute_bank_warning")

    def _compute_bank_warning(self):
        # a payment may be sitting in a bank journal not reconciled for more than 7 days
        warning = "\n".join(self.env["relance.analysis"]._bank_warning_messages())
        for wizard in self:
            wizard.bank_warning = warning

    @api.model
    def _action_open(self, partner):
        """Prepare what the run would send to ``partner`` today and show it."""
        today = fields.Date.context_today(self)
        reminders = self.env["relance.reminder"]
        vals = {"partner_id": partner.id}
        policy = partner._relance_policies(self.env.company).get(partner.id)
        last = reminders.search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", self.env.company.id),
                ("state", "not in", ("draft", "error", "cancel")),
            ],
            limit=1,
            order="date desc",
        )
        prepared = self.env["relance.run"]._prepare(partner, today).get(partner.id)
        if prepared:
            prepared.pop("marks")  # the reminder's own invoices reach its level when it is sent
        if partner.relance_excluded:
            vals["info"] = self.env._("This customer is excluded from dunning.")
        elif not prepared:
            vals["info"] = self._nothing_due_reason(partner)
        elif last.date == today:
            vals["info"] = self.env._("This customer already had a reminder today.")
        elif policy and not relance_rules.gap_respected(last.date or None, today, policy.min_gap_days):
            vals["info"] = self.env._(
                "The last reminder went out on %(date)s: the scenario waits %(days)s days "
                "between two reminders.",
                date=reminders._fmt_date(last.date),
                days=policy.min_gap_days,
            )
        else:
            reminder = reminders.create(prepared)
            template = reminder.level_id.mail_template_id
            vals["reminder_id"] = reminder.id
            if template:
                vals["subject"] = template._render_field("subject", reminder.ids, compute_lang=True)[
                    reminder.id
                ]
                vals["body_html"] = template._render_field("body_html", reminder.ids, compute_lang=True)[
                    reminder.id
                ]
        wizard = self.create(vals)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send a reminder"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    @api.model
    def _nothing_due_reason(self, partner):
        """Why nothing goes out to ``partner`` today, in the user's words."""
        waiting = self.env["relance.reminder"].search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", self.env.company.id),
                ("state", "in", ("to_validate", "to_print")),
            ],
            order="date desc",
        )
        to_validate = waiting.filtered(lambda r: r.state == "to_validate")[:1]
        if to_validate:
            return self.env._(
                "A formal notice of %(date)s waits for an accounting manager's validation: its "
                "invoices go no further until it is validated or cancelled.",
                date=to_validate._fmt_date(to_validate.date),
            )
        if waiting:
            return self.env._(
                "%(reminder)s waits to be printed and posted: the next level follows once it is posted.",
                reminder=waiting[0].display_name,
            )
        promise = self.env["relance.promise"].search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "open"),
            ],
            order="date_deadline desc",
            limit=1,
        )
        if promise:
            return self.env._(
                "Nothing to ask today for the invoices the customer promised to pay (%(invoices)s): "
                "they wait until %(date)s, the promised date plus the grace days.",
                invoices=", ".join(promise.invoice_ids.mapped("name")),
                date=promise._fmt_date(promise.date_deadline),
            )
        plan = self.env["relance.plan"].search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "active"),
            ],
            limit=1,
        )
        if plan:
            return self.env._(
                "Nothing to ask today for the invoices under the payment plan %(plan)s (%(invoices)s): "
                "the plan reminds the customer of its instalments.",
                plan=plan.display_name,
                invoices=", ".join(plan.invoice_ids.mapped("name")),
            )
        return self.env._("Nothing to ask today: no dunning level is due, or open credits cover what is due.")

    def action_send(self):
        self.ensure_one()
        reminder = self.reminder_id
        if not reminder or reminder.state != "draft":
            raise UserError(self.env._("There is nothing to send."))
        if not self.env["relance.run"]._lock(reminder.partner_id.ids, reminder.date):
            raise UserError(self.env._("The daily run is processing this customer: try again in a minute."))
        if reminder.search_count(
            [
                ("partner_id", "=", reminder.partner_id.id),
                ("company_id", "=", reminder.company_id.id),
                ("date", "=", reminder.date),
                ("state", "!=", "draft"),
                ("id", "!=", reminder.id),
            ]
        ):
            reminder.unlink()
            raise UserError(self.env._("This customer already had a reminder today."))
        self.env["relance.run"]._process(reminder)
        return {
            "type": "ir.actions.act_window",
            "res_model": "relance.reminder",
            "res_id": reminder.id,
            "view_mode": "form",
        }

    def action_discard(self):
        self.reminder_id.filtered(lambda r: r.state == "draft").unlink()
        return {"type": "ir.actions.act_window_close"}
