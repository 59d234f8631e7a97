from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import relance_rules


class AccountMove(models.Model):
    _inherit = "account.move"

    relance_level_id = fields.Many2one(
        "relance.level",
        string="Dunning level",
        copy=False,
        index=True,
        readonly=True,
        help="Highest dunning level reached; empty when never reminded.",
    )
    relance_last_date = fields.Date("Last reminder", copy=False, readonly=True)
    relance_next_date = fields.Date(
        "Next reminder",
        compute="_compute_relance_next_date",
        store=True,
        index=True,
        help="When the next dunning step becomes due.",
    )
    relance_excluded = fields.Boolean("Excluded from dunning", copy=False, tracking=True)
    relance_excluded_reason = fields.Char("Exclusion reason", copy=False, help="E.g. a dispute (litige).")
    relance_reminder_ids = fields.Many2many(
        "relance.reminder",
        "relance_reminder_account_move_rel",
        "move_id",
        "reminder_id",
        string="Reminders",
        copy=False,
        readonly=True,
    )
    relance_specialist_id = fields.Many2one(
        related="commercial_partner_id.relance_specialist_id",
        string="AR specialist",
        help="The customer's AR specialist (empty: the company's default one).",
    )
    relance_partner_suspended = fields.Boolean(related="commercial_partner_id.relance_suspended")

    @api.depends(
        "relance_level_id",
        "invoice_date_due",
        "payment_state",
        "state",
        "relance_excluded",
        "move_type",
        "commercial_partner_id",
    )
    def _compute_relance_next_date(self):
        policies = {
            company: self.commercial_partner_id._relance_policies(company) for company in self.company_id
        }
        for move in self:
            policy = policies.get(move.company_id, {}).get(move.commercial_partner_id.id)
            if (
                not policy
                or move.move_type != "out_invoice"
                or move.state != "posted"
                or move.payment_state not in ("not_paid", "partial")
                or move.relance_excluded
                or not move.invoice_date_due
            ):
                move.relance_next_date = False
                continue
            reached = move.relance_level_id.days if move.relance_level_id else None
            move.relance_next_date = relance_rules.next_date(
                policy._levels_tuples(), move.invoice_date_due, reached
            )

    def _relance_recompute_next_date(self):
        """Recompute the next reminder date (profile or levels changed)."""
        self.env.add_to_compute(self._fields["relance_next_date"], self)

    def _relance_mark_reminded(self, level, day):
        """Record a reminder on the invoices: each reaches ``level`` (when given) when it is
        higher than the one it had, and all get ``day`` as last reminder date. Written in SQL, with the next
        reminder date that follows: these columns are ours, and account.move's write() would
        re-synchronise the accounting lines each time."""
        if level:
            to_raise = self.filtered(lambda m: not m.relance_level_id or m.relance_level_id.days < level.days)
            following = relance_rules.next_level(level.policy_id._levels_tuples(), level.days)
        else:  # listed beside the message's own invoices: reminded today, at their own stage
            to_raise, following = self.browse(), None
        self.env.execute_query(
            SQL(
                """
                UPDATE account_move
                   SET relance_last_date = %(day)s,
                       relance_level_id = CASE WHEN id = ANY(%(raised)s) THEN %(level)s
                                               ELSE relance_level_id END,
                       relance_next_date = CASE WHEN id = ANY(%(raised)s)
                                                THEN invoice_date_due + %(days)s::int
                                                ELSE relance_next_date END
                 WHERE id = ANY(%(ids)s)
                """,
                day=day,
                raised=to_raise.ids,
                level=level.id if level else None,
                days=following and following[1],
                ids=self.ids,
            )
        )
        written = ["relance_level_id", "relance_last_date", "relance_next_date"]
        self.invalidate_recordset(written)
        self.fetch(written)  # at once, not customer by customer when their level is recomputed
        self.modified(["relance_level_id", "relance_last_date"])
        # the next date is written above: the ORM need not recompute it invoice by invoice
        self.env.remove_to_compute(self._fields["relance_next_date"], self)

    def _relance_ensure_portal_tokens(self):
        """Give the invoices an access token for their payment links, in one query (the portal
        mixin writes them one by one)."""
        missing = self.filtered(lambda m: not m.access_token)
        if missing:
            self.env.execute_query(
                SQL(
                    "UPDATE account_move SET access_token = gen_random_uuid()::text WHERE id = ANY(%s)",
                    missing.ids,
                )
            )
            missing.invalidate_recordset(["access_token"])

    def _invoice_paid_hook(self):
        # EXTENDS account: a paid customer may leave suspension
        res = super()._invoice_paid_hook()
        self.filtered(lambda m: m.move_type == "out_invoice").commercial_partner_id._relance_lift_suspension()
        return res

    def _post(self, soft=True):
        # EXTENDS account: welcome new customers, watch credit limits and large balances
        posted = super()._post(soft)
        self.env["relance.event"]._on_moves_posted(posted)
        return posted

    def button_draft(self):
        # EXTENDS account: an entry reset to draft changes the customers' balances
        res = super().button_draft()
        self.env["relance.event"]._on_balances_changed(self)
        return res

    def _reverse_moves(self, default_values_list=None, cancel=False):
        # EXTENDS account: a reversed customer payment (rejected direct debit) is announced
        settlements = self.env["relance.event"]._settlements(self) if cancel else []
        reverses = super()._reverse_moves(default_values_list, cancel)
        self.env["relance.event"]._on_settlements_undone(settlements)
        return reverses

    def _relance_last_partial(self):
        """The latest payment matched with the invoice (an account.partial.reconcile)."""
        self.ensure_one()
        receivable = self.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        return receivable.matched_credit_ids.sorted("id")[-1:]

    def _relance_event_values(self):
        """Facts of the invoice and payment messages (see relance.event)."""
        self.ensure_one()
        return self.env["relance.event"]._invoice_values(self)

    def _relance_event_sender(self):
        self.ensure_one()
        return self.env["relance.event"]._sender(self.commercial_partner_id, self.company_id)

    def _relance_event_block(self, block, values):
        return self.env["relance.event"]._render_block(block, values)

    def action_relance_send(self):
        self.ensure_one()
        return self.env["relance.reminder.send"]._action_open(self.commercial_partner_id)
