from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import relance_portal, relance_promise

SOURCES = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("portal", "Customer page"),
    ("letter", "Letter"),
    ("other", "Other"),
]
PAID_STATES = ("paid", "in_payment", "reversed")


class RelancePromise(models.Model):
    """A customer's promise to pay some invoices by a date, or its word that it already paid.
    While open, the run sends nothing about those invoices; the daily run checks it is kept."""

    _name = "relance.promise"
    _description = "Promise to pay"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
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
    currency_id = fields.Many2one(related="company_id.currency_id")
    invoice_ids = fields.Many2many(
        "account.move",
        "relance_promise_account_move_rel",
        "promise_id",
        "move_id",
        string="Invoices",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted'), ('payment_state', 'in', ('not_paid', 'partial'))]",
        help="The invoices the customer promises to pay (default: every overdue one).",
    )
    amount = fields.Monetary(
        currency_field="currency_id", help="Amount promised (default: what the invoices owe)."
    )
    date = fields.Date(
        "Promised date",
        required=True,
        tracking=True,
        help="The day the customer promises to pay, or, when it declares it has paid, the day it "
        "says it paid.",
    )
    date_recorded = fields.Date(
        "Recorded on", required=True, readonly=True, default=fields.Date.context_today, copy=False
    )
    declared_paid = fields.Boolean(
        "Declared as paid", help="The customer says it has already paid: the bank is to be checked."
    )
    source = fields.Selection(SOURCES, required=True, default="phone")
    state = fields.Selection(
        [("open", "Open"), ("kept", "Kept"), ("broken", "Broken"), ("cancel", "Cancelled")],
        default="open",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    date_deadline = fields.Date(
        "Payment expected by",
        compute="_compute_date_deadline",
        store=True,
        help="The promised date plus the company's grace days: broken the day after if not paid.",
    )
    date_closed = fields.Date("Kept or broken on", readonly=True, copy=False)
    note = fields.Text()
    user_id = fields.Many2one(
        "res.users", string="AR specialist", default=lambda self: self.env.user, tracking=True
    )

    @api.depends("date", "declared_paid", "date_recorded", "company_id.relance_promise_grace_days")
    def _compute_date_deadline(self):
        for promise in self:
            recorded = promise.date_recorded or fields.Date.context_today(self)
            promise.date_deadline = promise.date and relance_promise.promise_deadline(
                promise.date, promise.declared_paid, recorded, promise.company_id.relance_promise_grace_days
            )

    @api.depends("partner_id", "date")
    def _compute_display_name(self):
        for promise in self:
            promise.display_name = " – ".join(
                filter(None, [promise.partner_id.name, promise.date and promise.date.strftime("%d/%m/%Y")])
            )

    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        for vals in vals_list:
            partner = self.env["res.partner"].browse(vals.get("partner_id"))
            vals["partner_id"] = partner.commercial_partner_id.id
        # a promise refused leaves nothing behind, whatever the caller does with the error
        with self.env.cr.savepoint():
            promises = super().create(vals_list)
            for promise in promises.filtered(lambda p: not p.invoice_ids):
                promise.invoice_ids = self.env["account.move"].search(
                    [
                        *self._relance_open_invoices_domain(promise.partner_id, promise.company_id),
                        ("invoice_date_due", "<", today),
                    ]
                )
            promises._relance_check_input(today)
            for promise in promises:
                if not promise.amount:
                    promise.amount = sum(promise.invoice_ids.mapped("amount_residual_signed"))
            promises._relance_check_amount()
        for promise in promises:
            promise._relance_announce()
        return promises

    def write(self, vals):
        if not {"date", "declared_paid", "invoice_ids", "partner_id", "amount"} & set(vals):
            return super().write(vals)
        with self.env.cr.savepoint():
            result = super().write(vals)
            still_open = self.filtered(lambda p: p.state == "open")
            still_open._relance_check_input(fields.Date.context_today(self))
            if "amount" in vals:
                still_open._relance_check_amount()
            elif {"invoice_ids", "declared_paid"} & set(vals):
                still_open.filtered("amount")._relance_check_amount()  # create sets it afterwards
        return result

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_cancel(self):
        for promise in self:
            if promise.state != "open":
                raise UserError(
                    self.env._("The promise %(promise)s is no longer open.", promise=promise.display_name)
                )
        self.activity_unlink(["mail.mail_activity_data_todo"])
        self.write({"state": "cancel"})
        for promise in self:
            promise.partner_id.sudo().message_post(
                body=self.env._(
                    "Promise to pay of %(date)s cancelled: dunning resumes.", date=promise._fmt_date()
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _relance_action_new(self, partner, invoices=None, company=None):
        """The form of a new promise for ``partner`` (``invoices``: empty means every overdue one)."""
        context = {
            "default_partner_id": partner.id,
            "default_company_id": (company or self.env.company).id,
            "default_source": "phone",
        }
        if invoices:
            context["default_invoice_ids"] = [(6, 0, invoices.ids)]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Promise to Pay"),
            "res_model": "relance.promise",
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    @api.model
    def _relance_open_invoices_domain(self, partner, company):
        return [
            ("company_id", "=", company.id),
            ("commercial_partner_id", "=", partner.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
        ]

    def _relance_check_input(self, today):
        """A clear refusal for a promise that cannot be: nothing is written (the caller's
        transaction is rolled back with it)."""
        manager = self.env.user.has_group("account.group_account_manager")
        for promise in self:
            if not promise.invoice_ids:
                raise UserError(
                    self.env._(
                        "%(partner)s has no open invoice for this promise: choose the invoices it is about.",
                        partner=promise.partner_id.display_name,
                    )
                )
            strangers = promise.invoice_ids.filtered(
                lambda m, p=promise: m.commercial_partner_id != p.partner_id
            )
            if strangers:
                raise UserError(
                    self.env._(
                        "%(invoices)s are not invoices of %(partner)s.",
                        invoices=", ".join(strangers.mapped("name")),
                        partner=promise.partner_id.display_name,
                    )
                )
            paid = promise.invoice_ids.filtered(
                lambda m: m.state != "posted" or m.payment_state not in ("not_paid", "partial")
            )
            if paid and promise.state == "open":
                raise UserError(
                    self.env._(
                        "%(invoices)s no longer wait for a payment (paid or cancelled): no promise for them.",
                        invoices=", ".join(paid.mapped("name")),
                    )
                )
            problem = relance_promise.promise_date_problem(
                promise.date,
                today,
                promise.declared_paid,
                promise.company_id.relance_promise_max_days,
                manager,
            )
            if problem == "past":
                raise UserError(
                    self.env._(
                        "A promise to pay is for today or a later day, not %(date)s.",
                        date=promise._fmt_date(),
                    )
                )
            if problem == "future_paid":
                raise UserError(
                    self.env._(
                        "A payment declared as already made cannot be dated %(date)s, in the future.",
                        date=promise._fmt_date(),
                    )
                )
            if problem == "too_far":
                raise UserError(
                    self.env._(
                        "%(date)s is more than %(days)s days away: only an accounting manager can accept "
                        "a promise that far.",
                        date=promise._fmt_date(),
                        days=promise.company_id.relance_promise_max_days,
                    )
                )
            others = self.search(
                [
                    ("id", "!=", promise.id),
                    ("state", "=", "open"),
                    ("invoice_ids", "in", promise.invoice_ids.ids),
                ]
            )
            if others:
                raise UserError(
                    self.env._(
                        "%(invoices)s are already under the open promise %(promise)s: cancel it first.",
                        invoices=", ".join((others.invoice_ids & promise.invoice_ids).mapped("name")),
                        promise=others[0].display_name,
                    )
                )

    def _relance_check_amount(self):
        """A promised amount is positive and at most what the invoices owe (a payment declared
        as made: 1 % more, for fees and rounding)."""
        for promise in self:
            balance = sum(promise.invoice_ids.mapped("amount_residual_signed"))
            if promise.declared_paid:
                problem = relance_portal.paid_amount_problem(promise.amount, balance)
            elif promise.currency_id.compare_amounts(promise.amount, 0) <= 0:
                problem = "too_small"
            elif promise.currency_id.compare_amounts(promise.amount, balance) > 0:
                problem = "too_big"
            else:
                problem = None
            amounts = {
                "amount": self.env["relance.reminder"]._fmt_amount(promise.amount, promise.currency_id),
                "balance": self.env["relance.reminder"]._fmt_amount(balance, promise.currency_id),
            }
            if problem == "too_small":
                raise UserError(self.env._("A promised amount must be positive, not %(amount)s.", **amounts))
            if problem == "too_big":
                raise UserError(
                    self.env._(
                        "%(amount)s is more than the invoices of the promise owe (%(balance)s).", **amounts
                    )
                )

    def _fmt_date(self, day=None):
        return self.env["relance.reminder"]._fmt_date(day or self.date)

    def _relance_specialist(self):
        self.ensure_one()
        return self.company_id._relance_specialist(self.partner_id) or self.user_id or self.env.user

    def _relance_announce(self):
        """The customer's chatter keeps the promise; a declared payment asks the AR specialist to
        look at the bank."""
        self.ensure_one()
        amount = self.env["relance.reminder"]._fmt_amount(self.amount, self.currency_id)
        names = ", ".join(self.invoice_ids.mapped("name"))
        if self.declared_paid:
            body = self.env._(
                "%(partner)s says it paid %(amount)s on %(date)s (%(invoices)s): dunning of these "
                "invoices paused until the payment is found.",
                partner=self.partner_id.display_name,
                amount=amount,
                date=self._fmt_date(),
                invoices=names,
            )
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(self),
                summary=self.env._(
                    "Check the bank: payment declared by %(partner)s", partner=self.partner_id.name
                ),
                note=body,
                user_id=self._relance_specialist().id,
            )
        else:
            body = self.env._(
                "%(partner)s promises to pay %(amount)s by %(date)s (%(invoices)s): dunning of these "
                "invoices paused until %(deadline)s.",
                partner=self.partner_id.display_name,
                amount=amount,
                date=self._fmt_date(),
                invoices=names,
                deadline=self._fmt_date(self.date_deadline),
            )
        self.partner_id.sudo().message_post(
            body=Markup("<p>%s</p>") % body, message_type="notification", subtype_xmlid="mail.mt_note"
        )

    # ------------------------------------------------------------------
    # The daily check (relance.run._cron_run)
    # ------------------------------------------------------------------
    @api.model
    def _relance_check_promises(self, today):
        """Open promises whose invoices are paid are kept; those past their deadline unpaid are
        broken: a note, an activity for the AR specialist, and dunning resumes. Each promise is
        locked first (another run holding it skips it), so none is closed twice."""
        due = self.search([("state", "=", "open")], order="id")
        if not due:
            return self
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM relance_promise WHERE id = ANY(%s) AND state = 'open' "
                "ORDER BY id FOR NO KEY UPDATE SKIP LOCKED",
                due.ids,
            )
        )
        promises = self.browse([r[0] for r in rows])
        promises.invalidate_recordset(["state"])
        paid_on = promises._relance_paid_on()
        closed = self
        for promise in promises:
            outcome = relance_promise.promise_outcome(promise.date_deadline, today, paid_on.get(promise.id))
            if outcome == "kept":
                promise._relance_kept(today)
            elif outcome == "broken":
                promise._relance_broken(today)
            closed |= promise if outcome else self
        return closed

    def _relance_paid_on(self):
        """``{promise id: day}``: the day the last of its invoices was paid, for those all paid."""
        result = {}
        for promise in self:
            invoices = promise.invoice_ids
            if not invoices or any(m.payment_state not in PAID_STATES for m in invoices):
                continue
            receivable = invoices.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
            days = receivable.matched_credit_ids.mapped("max_date")
            result[promise.id] = max(days) if days else fields.Date.context_today(self)
        return result

    def _relance_kept(self, today):
        self.ensure_one()
        self.write({"state": "kept", "date_closed": today})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        self.partner_id.sudo().message_post(
            body=self.env._("Promise to pay of %(date)s kept: the invoices are paid.", date=self._fmt_date()),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )

    def _relance_broken(self, today):
        self.ensure_one()
        self.write({"state": "broken", "date_closed": today})
        open_invoices = self.invoice_ids.filtered(lambda m: m.payment_state in ("not_paid", "partial"))
        body = self.env._(
            "Promise to pay of %(date)s not kept: %(invoices)s still unpaid on %(deadline)s. "
            "Dunning resumes; the next reminder recalls the promise.",
            date=self._fmt_date(),
            invoices=", ".join(open_invoices.mapped("name")) or "-",
            deadline=self._fmt_date(self.date_deadline),
        )
        self.message_post(body=body, message_type="notification", subtype_xmlid="mail.mt_note")
        self.partner_id.sudo().message_post(
            body=body, message_type="notification", subtype_xmlid="mail.mt_note"
        )
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=today,
            summary=self.env._("Promise not kept: %(partner)s", partner=self.partner_id.name),
            note=body,
            user_id=self._relance_specialist().id,
        )
        open_invoices._relance_recompute_next_date()
