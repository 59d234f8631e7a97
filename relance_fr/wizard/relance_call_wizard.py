from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .. import compat
from ..models.relance_dispute import REASONS


class RelanceCallWizard(models.TransientModel):
    """Log a dunning call: its outcome and notes, and the promise or dispute it leads to, all
    in one step (nothing is written when one part is refused)."""

    _name = "relance.call.wizard"
    _description = "Log a call"

    reminder_id = fields.Many2one("relance.reminder", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    phone = fields.Char(related="partner_id.phone")
    mobile = fields.Char(compute="_compute_mobile")
    call_script = fields.Html(related="reminder_id.call_script")
    # no outcome chosen in advance: required in the form, checked on confirmation
    result_id = fields.Many2one("relance.call.result", string="Outcome")
    outcome = fields.Selection(related="result_id.outcome", string="Leads to")
    note = fields.Text("Notes")
    invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted'), ('payment_state', 'in', ('not_paid', 'partial'))]",
        help="What the promise is about (default: the reminder's open invoices, or every overdue one).",
    )
    promise_date = fields.Date("Promised date")
    promise_amount = fields.Monetary("Promised amount", currency_field="currency_id")
    dispute_invoice_id = fields.Many2one(
        "account.move",
        string="Disputed invoice",
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted'), ('payment_state', 'in', ('not_paid', 'partial'))]",
    )
    dispute_reason = fields.Selection(REASONS, string="Dispute reason")
    plan_installment_count = fields.Integer("Number of instalments", default=3)
    plan_frequency = fields.Selection(
        [("weekly", "Weekly"), ("monthly", "Monthly")], "Frequency", default="monthly"
    )
    plan_first_date = fields.Date("First instalment")

    @api.depends("partner_id")
    def _compute_mobile(self):
        for wizard in self:
            wizard.mobile = compat.partner_mobile(wizard.partner_id)

    @api.model
    def _action_open(self, partner, reminder=None):
        partner = partner.commercial_partner_id
        if reminder is None:
            reminder = self.env["relance.reminder"].search(
                [
                    ("partner_id", "=", partner.id),
                    ("state", "=", "to_call"),
                    ("company_id", "=", self.env.company.id),
                ],
                order="date desc, id desc",
                limit=1,
            )
        if reminder and reminder.state != "to_call":
            raise UserError(
                self.env._(
                    "The call of %(reminder)s was already logged (it is %(state)s).",
                    reminder=reminder.display_name,
                    state=dict(reminder._fields["state"]._description_selection(self.env))[reminder.state],
                )
            )
        invoices = reminder.invoice_ids.filtered(lambda m: m.payment_state in ("not_paid", "partial"))
        wizard = self.create(
            {
                "partner_id": partner.id,
                "company_id": (reminder.company_id or self.env.company).id,
                "reminder_id": reminder.id,
                "invoice_ids": [(6, 0, invoices.ids)],
                "dispute_invoice_id": invoices[:1].id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a Call"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_confirm(self):
        self.ensure_one()
        reminder = self.reminder_id
        if reminder and reminder.state != "to_call":
            raise UserError(
                self.env._("The call of %(reminder)s was already logged.", reminder=reminder.display_name)
            )
        result = self.result_id
        if not result:
            raise UserError(self.env._("How did the call go? Choose its outcome."))
        created = self._create_outcome()
        what = result.name
        if created:
            what = f"{what} ({created.display_name})"
        body = Markup("<p>%s</p>") % self.env._("Call: %(outcome)s.", outcome=what)
        if self.note:
            body += Markup("<p>%s</p>") % self.note
        partner = self.partner_id.sudo()  # the call's trace, whoever logs it
        partner.message_post(body=body, message_type="notification", subtype_xmlid="mail.mt_note")
        self.env["relance.call"].sudo().create(
            {
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "user_id": self.env.user.id,
                "reminder_id": reminder.id,
                "result_id": result.id,
                "note": self.note,
                "promise_id": created.id if created._name == "relance.promise" else False,
                "dispute_id": created.id if created._name == "relance.dispute" else False,
                "plan_id": created.id if created._name == "relance.plan" else False,
            }
        )
        partner.write(
            {
                "relance_last_call_result_id": result.id,
                "relance_last_call_date": fields.Date.context_today(self),
            }
        )
        if reminder:
            reminder.message_post(body=body, message_type="notification", subtype_xmlid="mail.mt_note")
            if result.reached:
                # closing the call activity marks the reminder sent (mail_activity.py)
                reminder.activity_feedback(
                    ["mail.mail_activity_data_call"], feedback=self.note or result.name
                )
                reminder._relance_call_done()
        if created._name == "relance.plan":
            # the draft plan to check and confirm: its schedule goes to the customer from there
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Payment Plan"),
                "res_model": "relance.plan",
                "res_id": created.id,
                "view_mode": "form",
                "target": "current",
            }
        return {"type": "ir.actions.act_window_close"}

    def _create_outcome(self):
        """The promise or dispute the call leads to (empty when it leads to none)."""
        outcome = self.result_id.outcome
        if outcome in ("promise", "paid"):
            if not self.promise_date:
                raise UserError(
                    self.env._("Give the date the customer promises to pay (or says it paid).")
                    if outcome == "promise"
                    else self.env._("Give the date the customer says it paid.")
                )
            return self.env["relance.promise"].create(
                {
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "invoice_ids": [(6, 0, self.invoice_ids.ids)],
                    "amount": self.promise_amount,
                    "date": self.promise_date,
                    "declared_paid": outcome == "paid",
                    "source": "phone",
                    "note": self.note,
                }
            )
        if outcome == "dispute":
            if not self.dispute_invoice_id or not self.dispute_reason:
                raise UserError(self.env._("Give the disputed invoice and the reason of the dispute."))
            return self.env["relance.dispute"].create(
                {
                    "invoice_id": self.dispute_invoice_id.id,
                    "reason": self.dispute_reason,
                    "description": self.note,
                    "source": "phone",
                }
            )
        if outcome == "plan":
            return self._create_plan()
        return self.env["relance.promise"]

    def _create_plan(self):
        """The draft plan agreed on the phone, its instalments computed; an activity asks the
        AR specialist to confirm it (which sends the schedule to the customer)."""
        if self.plan_installment_count < 1:
            raise UserError(self.env._("A payment plan has at least one instalment."))
        if not self.plan_first_date:
            raise UserError(self.env._("Give the date of the first instalment."))
        today = fields.Date.context_today(self)
        if self.plan_first_date < today:
            raise UserError(
                self.env._(
                    "The first instalment is for today or a later day, not %(date)s.",
                    date=self.plan_first_date.strftime("%d/%m/%Y"),
                )
            )
        plan = self.env["relance.plan"].create(
            {
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "invoice_ids": [(6, 0, self.invoice_ids.ids)],
                "installment_count": self.plan_installment_count,
                "frequency": self.plan_frequency or "monthly",
                "first_date": self.plan_first_date,
                "note": self.note,
            }
        )
        plan.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=today,
            summary=self.env._(
                "Confirm the payment plan agreed with %(partner)s", partner=self.partner_id.name
            ),
            note=self.note or "",
            user_id=plan._relance_specialist().id,
        )
        return plan
