from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import relance_lang, relance_legal, relance_plan
from .relance_reminder import LANG, MAIL_LAYOUT

OPEN_STATES = ("not_paid", "partial")


class RelancePlan(models.Model):
    """A payment plan (échéancier): the customer pays some invoices in instalments. While
    active, the run leaves those invoices to the plan; the daily check counts the payments
    towards the instalments, sends a notice before each and a reminder when one is late, and
    ends the plan when it is paid (done) or an instalment is too late (broken)."""

    _name = "relance.plan"
    _description = "Payment plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain="[('parent_id', '=', False)]",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", store=True, readonly=True, precompute=True
    )
    invoice_ids = fields.Many2many(
        "account.move",
        "relance_plan_account_move_rel",
        "plan_id",
        "move_id",
        string="Invoices",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted'), ('payment_state', 'in', ('not_paid', 'partial'))]",
        help="The invoices paid through the plan (default: every overdue one).",
    )
    amount_total = fields.Monetary(
        "Amount asked",
        currency_field="currency_id",
        tracking=True,
        help="What the instalments add up to (default: what the invoices owe when the plan is made).",
    )
    line_ids = fields.One2many("relance.plan.line", "plan_id", string="Instalments", copy=False)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("done", "Done"),
            ("broken", "Broken"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    installment_count = fields.Integer("Number of instalments", default=3)
    frequency = fields.Selection(
        [("weekly", "Weekly"), ("monthly", "Monthly")], default="monthly", required=True
    )
    first_date = fields.Date("First instalment")
    user_id = fields.Many2one(
        "res.users", string="AR specialist", default=lambda self: self.env.user, tracking=True
    )
    note = fields.Text()
    date_confirmed = fields.Date("Agreed on", readonly=True, copy=False)
    date_closed = fields.Date("Done or broken on", readonly=True, copy=False)
    amount_residual_start = fields.Monetary(
        "Owed when agreed",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        help="What the invoices owed when the plan was confirmed: what they received since counts "
        "towards the instalments.",
    )
    amount_paid = fields.Monetary(
        "Paid", currency_field="currency_id", compute="_compute_amount_paid", store=True
    )
    date_checked = fields.Date(
        "Checked on", readonly=True, copy=False, help="Last day the daily run checked the plan."
    )

    @api.depends("invoice_ids.currency_id", "company_id")
    def _compute_currency_id(self):
        for plan in self:
            plan.currency_id = plan.invoice_ids[:1].currency_id or plan.company_id.currency_id

    @api.depends("line_ids.amount_paid")
    def _compute_amount_paid(self):
        for plan in self:
            plan.amount_paid = sum(plan.line_ids.mapped("amount_paid"))

    @api.depends("partner_id", "date_confirmed", "create_date")
    def _compute_display_name(self):
        for plan in self:
            day = plan.date_confirmed or (plan.create_date and plan.create_date.date())
            plan.display_name = self.env._(
                "Payment plan %(partner)s – %(date)s",
                partner=plan.partner_id.name or "",
                date=plan._fmt_date(day) if day else "",
            )

    @api.constrains("installment_count")
    def _check_installment_count(self):
        for plan in self:
            if plan.state == "draft" and plan.installment_count < 1:
                raise ValidationError(self.env._("A payment plan has at least one instalment."))

    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        for vals in vals_list:
            partner = self.env["res.partner"].browse(vals.get("partner_id"))
            vals["partner_id"] = partner.commercial_partner_id.id
        # a plan refused leaves nothing behind, whatever the caller does with the error
        with self.env.cr.savepoint():
            plans = super().create(vals_list)
            for plan in plans.filtered(lambda p: not p.invoice_ids):
                invoices = self.env["account.move"].search(
                    self.env["relance.promise"]._relance_open_invoices_domain(
                        plan.partner_id, plan.company_id
                    )
                )
                plan.invoice_ids = (
                    invoices.filtered(lambda m: m.invoice_date_due and m.invoice_date_due < today) or invoices
                )
            plans._relance_check_invoices()
            for plan in plans:
                if not plan.amount_total:
                    plan.amount_total = plan._relance_residual()
                if not plan.line_ids and plan.first_date:
                    plan.action_compute_lines()
        return plans

    def write(self, vals):
        if "amount_total" in vals and self.filtered(lambda p: p.state != "draft"):
            raise UserError(self.env._("The amount of a plan is changed only while it is a draft."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_agreed(self):
        if self.filtered(lambda p: p.state not in ("draft", "cancel")):
            raise UserError(self.env._("An agreed payment plan is kept: cancel it instead."))

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_compute_lines(self):
        """The instalments: the amount split evenly, the last one adjusted to the cent, on
        dates a week or a month apart (each line can be changed afterwards)."""
        for plan in self:
            plan._relance_check_draft()
            if plan.installment_count < 1:
                raise UserError(self.env._("A payment plan has at least one instalment."))
            if not plan.first_date:
                raise UserError(self.env._("Give the date of the first instalment."))
            if plan.amount_total <= 0:
                raise UserError(self.env._("The amount asked must be positive."))
            amounts = relance_plan.split_amounts(
                plan.amount_total, plan.installment_count, plan.currency_id.rounding
            )
            dates = relance_plan.installment_dates(plan.first_date, plan.installment_count, plan.frequency)
            plan.line_ids = [Command.clear()] + [
                Command.create({"date": day, "amount": amount})
                for day, amount in zip(dates, amounts, strict=True)
            ]

    def action_confirm(self):
        """The plan starts: checked, then the customer receives the schedule (email and PDF)."""
        today = fields.Date.context_today(self)
        for plan in self:
            plan._relance_check_draft()
            plan._relance_check_invoices()
            plan._relance_check_schedule(today)
        template = self.env.ref("relance_fr.mail_template_plan_schedule")
        for plan in self:
            plan.write(
                {
                    "state": "active",
                    "date_confirmed": today,
                    "amount_residual_start": plan._relance_residual(),
                }
            )
            plan._relance_partner_note(
                self.env._(
                    "Payment plan agreed: %(amount)s in %(count)s instalments from %(date)s (%(invoices)s). "
                    "The run leaves these invoices to the plan.",
                    amount=plan._fmt_amount(plan.amount_total),
                    count=len(plan.line_ids),
                    date=plan._fmt_date(plan.line_ids[:1].date),
                    invoices=", ".join(plan.invoice_ids.mapped("name")),
                )
            )
            plan.activity_feedback(["mail.mail_activity_data_todo"])
            plan._relance_send(template)

    def action_cancel(self):
        """An accounting manager ends the plan: the dunning of its invoices resumes."""
        for plan in self:
            if plan.state not in ("draft", "active"):
                raise UserError(
                    self.env._("The payment plan %(plan)s is already closed.", plan=plan.display_name)
                )
        if self.filtered(lambda p: p.state == "active") and not self.env.user.has_group(
            "account.group_account_manager"
        ):
            return self._relance_ask_cancel()
        active = self.filtered(lambda p: p.state == "active")
        self.activity_unlink(["mail.mail_activity_data_todo"])
        self.write({"state": "cancel", "date_closed": fields.Date.context_today(self)})
        for plan in active:
            plan._relance_partner_note(
                self.env._("%(plan)s cancelled: dunning of its invoices resumes.", plan=plan.display_name)
            )
        active.invoice_ids._relance_recompute_next_date()

    @api.model
    def _relance_action_new(self, partner, invoices=None, company=None):
        """The form of a new plan for ``partner`` (``invoices``: empty means every overdue one)."""
        context = {
            "default_partner_id": partner.id,
            "default_company_id": (company or self.env.company).id,
        }
        if invoices:
            context["default_invoice_ids"] = [Command.set(invoices.ids)]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Payment Plan"),
            "res_model": "relance.plan",
            "view_mode": "form",
            "target": "current",
            "context": context,
        }

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    def _relance_check_draft(self):
        for plan in self:
            if plan.state != "draft":
                raise UserError(
                    self.env._(
                        "The payment plan %(plan)s is no longer a draft: its instalments are agreed.",
                        plan=plan.display_name,
                    )
                )

    def _relance_check_invoices(self):
        """Every invoice of the plan is the customer's, posted and still owed, in one currency,
        and under no other plan in progress."""
        for plan in self:
            if not plan.invoice_ids:
                raise UserError(
                    self.env._(
                        "%(partner)s has no open invoice for a payment plan: choose the invoices it is "
                        "about.",
                        partner=plan.partner_id.display_name,
                    )
                )
            strangers = plan.invoice_ids.filtered(lambda m, p=plan: m.commercial_partner_id != p.partner_id)
            if strangers:
                raise UserError(
                    self.env._(
                        "%(invoices)s are not invoices of %(partner)s.",
                        invoices=", ".join(strangers.mapped("name")),
                        partner=plan.partner_id.display_name,
                    )
                )
            closed = plan.invoice_ids.filtered(
                lambda m: m.move_type != "out_invoice"
                or m.state != "posted"
                or m.payment_state not in OPEN_STATES
            )
            if closed:
                raise UserError(
                    self.env._(
                        "%(invoices)s no longer wait for a payment (paid or cancelled): no instalments "
                        "for them.",
                        invoices=", ".join(closed.mapped("name")),
                    )
                )
            if len(plan.invoice_ids.currency_id) > 1:
                raise UserError(self.env._("A payment plan is in one currency: make one plan per currency."))
            others = self.search(
                [("id", "!=", plan.id), ("state", "=", "active"), ("invoice_ids", "in", plan.invoice_ids.ids)]
            )
            if others:
                raise UserError(
                    self.env._(
                        "%(invoices)s are already paid through %(plan)s.",
                        invoices=", ".join((others.invoice_ids & plan.invoice_ids).mapped("name")),
                        plan=others[0].display_name,
                    )
                )

    def _relance_check_schedule(self, today):
        self.ensure_one()
        lines = self.line_ids.sorted("date")
        residual = self._relance_residual()
        if self.amount_total - residual >= self.currency_id.rounding / 2:
            raise UserError(
                self.env._(
                    "The invoices now owe %(residual)s, less than the %(amount)s of the plan (a payment "
                    "came meanwhile): correct the amount and compute the instalments again.",
                    residual=self._fmt_amount(residual),
                    amount=self._fmt_amount(self.amount_total),
                )
            )
        problem = relance_plan.schedule_problem(
            lines.mapped("amount"), lines.mapped("date"), self.amount_total, today, self.currency_id.rounding
        )
        if problem == "empty":
            raise UserError(self.env._("The plan has no instalment: compute them first."))
        if problem == "not_positive":
            raise UserError(self.env._("Every instalment is for a positive amount."))
        if problem == "sum":
            raise UserError(
                self.env._(
                    "The instalments add up to %(sum)s, not the %(amount)s asked: correct them.",
                    sum=self._fmt_amount(sum(lines.mapped("amount"))),
                    amount=self._fmt_amount(self.amount_total),
                )
            )
        if problem == "past":
            raise UserError(
                self.env._(
                    "An instalment is dated before today (%(date)s): an agreed schedule starts today "
                    "or later.",
                    date=self._fmt_date(today),
                )
            )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _relance_residual(self):
        self.ensure_one()
        return sum(self.invoice_ids.mapped("amount_residual"))

    def _fmt_amount(self, amount, currency=None, lang=relance_lang.FRENCH):
        return self.env["relance.reminder"]._fmt_amount(amount, currency or self.currency_id, lang=lang)

    def _fmt_date(self, day, long=False, lang=relance_lang.FRENCH):
        return self.env["relance.reminder"]._fmt_date(day, long=long, lang=lang)

    def _relance_specialist(self):
        self.ensure_one()
        return self.company_id._relance_specialist(self.partner_id) or self.user_id or self.env.user

    def _relance_sender(self):
        self.ensure_one()
        return self.env["relance.event"]._sender(self.partner_id, self.company_id)

    def _relance_partner_note(self, body):
        self.ensure_one()
        body = Markup("<p>%s</p>") % body
        self.message_post(body=body, message_type="notification", subtype_xmlid="mail.mt_note")
        self.partner_id.sudo().message_post(
            body=body, message_type="notification", subtype_xmlid="mail.mt_note"
        )

    def _relance_send(self, template, line=None):
        """The customer's email from ``template`` (about ``line`` for a notice or a late
        reminder), through Odoo's mail queue like the reminders: the email is evidence."""
        self.ensure_one()
        self.with_context(
            lang=LANG,
            mail_notify_force_send=False,
            relance_plan_line_id=line.id if line else False,
            relance_customer_only=True,
        ).message_post_with_source(
            template, message_type="comment", subtype_xmlid="mail.mt_comment", email_layout_xmlid=MAIL_LAYOUT
        )

    def _relance_ask_cancel(self):
        """Ending a plan in progress is an accounting manager's decision: asked of the validator
        (a to-do on the plan, once), the plan left as it is meanwhile."""
        active = self.filtered(lambda p: p.state == "active")
        validator = self.company_id[:1]._relance_validator()
        if not validator or not active.has_access("write"):  # auditors only read plans
            raise UserError(self.env._("Only an accounting manager can cancel a payment plan in progress."))
        todo = self.env.ref("mail.mail_activity_data_todo")
        for plan in active.filtered(lambda p: not p.activity_ids.filtered(lambda a: a.user_id == validator)):
            plan.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(self),
                summary=self.env._("Cancel the payment plan?"),
                note=self.env._(
                    "%(user)s asks to cancel %(plan)s: cancel it (the dunning of its invoices resumes) "
                    "or keep it.",
                    user=self.env.user.name,
                    plan=plan.display_name,
                ),
                user_id=validator.id,
                activity_type_id=todo.id,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "Cancelling a payment plan in progress is an accounting manager's decision: asked of "
                    "%(validator)s.",
                    validator=validator.name,
                ),
            },
        }

    def _relance_mail_values(self):
        """What the schedule, the notices, the late reminders and the PDF say, in the customer's
        language (``lang``)."""
        self.ensure_one()
        values = self.env["relance.event"]._common_values(self.partner_id, self.company_id)
        contact = values["contact"]
        lang = values["lang"]
        ordinal = relance_lang.ordinal if relance_lang.is_english(lang) else relance_plan.ordinal
        salutation, civility = contact._relance_salutation(lang)

        def fmt_date(day, long=False):
            return self._fmt_date(day, long=long, lang=lang)

        def fmt_amount(amount, currency=None):
            return self._fmt_amount(amount, currency, lang=lang)

        lines = self.line_ids.sorted("date")
        line = self.env["relance.plan.line"].browse(self.env.context.get("relance_plan_line_id") or [])
        late = lines.filtered(lambda ln: ln.state == "late")
        break_days = self.company_id.relance_plan_break_days
        invoices = self.invoice_ids.sorted(lambda m: (m.invoice_date_due or m.invoice_date, m.id))
        values.update(
            {
                "salutation": salutation,
                "civility": civility,
                "closing": relance_lang.closing(civility, lang),
                "company_name": self.company_id.name,
                "date_confirmed": fmt_date(self.date_confirmed or fields.Date.context_today(self)),
                "date_long": fmt_date(self.date_confirmed or fields.Date.context_today(self), long=True),
                "count": len(lines),
                "instalment_label": relance_lang.words(lang)["instalment"],
                "total": fmt_amount(self.amount_total),
                "break_days": break_days,
                "invoices": [
                    {
                        "name": inv.name,
                        "date": fmt_date(inv.invoice_date),
                        "date_due": fmt_date(inv.invoice_date_due),
                        "amount": fmt_amount(inv.amount_total, inv.currency_id),
                        "residual": fmt_amount(inv.amount_residual, inv.currency_id),
                    }
                    for inv in invoices
                ],
                "lines": [
                    {
                        "ordinal": ordinal(index),
                        "date": fmt_date(ln.date),
                        "amount": fmt_amount(ln.amount),
                        "paid": fmt_amount(ln.amount_paid),
                        "remaining": fmt_amount(ln.amount - ln.amount_paid),
                        "is_paid": ln.state == "paid",
                    }
                    for index, ln in enumerate(lines, start=1)
                ],
                "line": line
                and {
                    "ordinal": ordinal(list(lines).index(line) + 1),
                    "date": fmt_date(line.date),
                    "amount": fmt_amount(line.amount),
                    "remaining": fmt_amount(line.amount - line.amount_paid),
                    "partly_paid": bool(line.amount_paid),
                    # a consumer gets at least 15 days from this notice before the plan ends
                    "break_date": fmt_date(
                        relance_legal.plan_break_date(
                            line.date,
                            break_days,
                            self.partner_id._relance_debtor_kind() == "consumer",
                            line.late_date or fields.Date.context_today(self),
                        )
                    ),
                },
                "late_total": fmt_amount(sum(ln.amount - ln.amount_paid for ln in late)),
                "pay_url": invoices[:1].get_base_url() + invoices[:1].get_portal_url()
                if len(invoices) == 1
                else values["portal_url"],
                "references": ", ".join(invoices.mapped("name")),
            }
        )
        return values

    def _relance_block(self, template):
        """A shared block of the plan's emails, rendered by QWeb with the plan's facts."""
        self.ensure_one()
        return Markup(
            self.env["ir.qweb"]._render(f"relance_fr.{template}", {"v": self._relance_mail_values()})
        )

    def _relance_lang(self):
        """The language of the customer's messages (res.partner._relance_lang)."""
        return self[:1].partner_id._relance_lang()
