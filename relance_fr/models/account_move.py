from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from .. import compat
from ..tools import relance_collection, relance_legal, relance_rules

PRESCRIPTION_BATCH = 1000


def _received(reminder):
    """A reminder the customer received: sent, its email accepted, or its letter posted."""
    return reminder.state == "sent" or reminder.mail_state == "sent" or bool(reminder.letter_posted_date)


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
        "Next step due",
        compute="_compute_relance_next_date",
        store=True,
        index=True,
        help="When the next dunning step becomes due.",
    )
    relance_excluded = fields.Boolean("Excluded from dunning", copy=False, tracking=True)
    relance_excluded_reason = fields.Char("Exclusion reason", copy=False, help="E.g. a dispute (litige).")
    relance_dispute_ids = fields.One2many(
        "relance.dispute",
        "invoice_id",
        string="Disputes",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
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
    relance_public_buyer = fields.Boolean(related="commercial_partner_id.relance_public_buyer")
    relance_prescription_date = fields.Date(
        "Limitation date",
        compute="_compute_relance_prescription_date",
        store=True,
        index="btree_not_null",
        help="Estimated last day to claim the debt in court, from the delivery date (else the invoice "
        "date): + 5 years (Code de commerce L110-4), + 2 years against a consumer (Code de la "
        "consommation L218-2); a public buyer: 31 December of the fourth year after (loi 68-1250). "
        "A part payment or an agreed payment plan starts it again (Code civil 2240), and so does, "
        "for a public buyer, each written claim it received.",
    )
    relance_prescription_basis = fields.Char(
        "Limitation basis", compute="_compute_relance_prescription_basis"
    )
    relance_plan_ids = fields.Many2many(
        "relance.plan",
        "relance_plan_account_move_rel",
        "move_id",
        "plan_id",
        string="Payment plans",
        copy=False,
        readonly=True,
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    relance_chorus_date = fields.Date(
        "Chorus Pro deposit date",
        copy=False,
        tracking=True,
        help="Day the invoice was deposited on Chorus Pro (public buyers): the payment delay, and so "
        "the late-payment interest, counts from it (Code de la commande publique R2192-12).",
    )
    relance_prescription_notified = fields.Boolean(
        "Limitation activity created",
        copy=False,
        readonly=True,
        help="The AR specialist was given an activity 90 days before the limitation date.",
    )
    relance_payment_term_warning = fields.Char(
        "Payment term warning", compute="_compute_relance_payment_term_warning"
    )
    relance_collection_ids = fields.Many2many(
        "relance.collection",
        "relance_collection_account_move_rel",
        "move_id",
        "collection_id",
        string="Collection files",
        copy=False,
        readonly=True,
    )

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

    @api.depends(
        "move_type",
        "state",
        "delivery_date",
        "invoice_date",
        "date",
        "amount_residual",
        "commercial_partner_id.is_company",
        "commercial_partner_id.vat",
        "commercial_partner_id.company_registry",
        "commercial_partner_id.relance_public_buyer",
        "relance_plan_ids.date_confirmed",
        "relance_reminder_ids.state",
        "relance_reminder_ids.letter_posted_date",
    )
    def _compute_relance_prescription_date(self):
        limits = self._relance_limitation()
        for move in self:
            move.relance_prescription_date = limits.get(move.id, (False,))[0]

    @api.depends("relance_prescription_date")
    def _compute_relance_prescription_basis(self):
        limits = self._relance_limitation()
        rules = {
            "professional": self.env._("5 years (Code de commerce L110-4)"),
            "consumer": self.env._("2 years against a consumer (Code de la consommation L218-2)"),
            "public": self.env._("4 years, to 31 December (public buyer: loi 68-1250)"),
        }
        for move in self:
            if move.id not in limits:
                move.relance_prescription_basis = False
                continue
            _end, kind, basis, day = limits[move.id]
            shown = day.strftime("%d/%m/%Y")
            if basis == "acknowledgment":
                source = self.env._("from the debtor's acknowledgment of %(date)s", date=shown)
            elif basis == "claim":
                source = self.env._("from the written claim of %(date)s", date=shown)
            elif day == move.invoice_date:  # l10n_fr sets the delivery date to it by default
                source = self.env._("from the invoice of %(date)s", date=shown)
            elif day == move.delivery_date:
                source = self.env._("from the delivery of %(date)s", date=shown)
            else:
                source = self.env._("from the accounting date %(date)s", date=shown)
            move.relance_prescription_basis = self.env._(
                "Estimate: %(rule)s %(basis)s.", rule=rules[kind], basis=source
            )

    def _relance_partials(self):
        """``{move id: partial reconciliations}``: what was settled on the receivable of each of
        these invoices (payments, credit notes), read in one go."""
        receivables = self.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        everything = receivables.matched_credit_ids
        ids = defaultdict(list)
        for partial in everything:
            ids[partial.debit_move_id.move_id.id].append(partial.id)
        # each move's partials keep the prefetch of them all: their fields are read once
        return {
            move_id: everything.browse(some).with_prefetch(everything._ids) for move_id, some in ids.items()
        }

    def _relance_limitation(self):
        """``{move id: (last day, kind, basis, basis date)}`` of the customer invoices (see
        tools/relance_legal.limitation): read in batch, plans and reminders by their relations."""
        limits = {}
        # the payments (acknowledgments) of all the invoices, read in one go
        paid_on = defaultdict(list)
        for move_id, partials in self.filtered(lambda m: m.state == "posted")._relance_partials().items():
            paid_on[move_id] = [
                p.max_date for p in partials if p.credit_move_id.move_id.move_type != "out_refund"
            ]
        for move in self:
            partner = move.commercial_partner_id
            if move.move_type != "out_invoice" or not partner:
                continue
            kind = relance_legal.limitation_kind(
                relance_legal.debtor_kind(
                    partner.relance_public_buyer, False, partner._relance_is_professional()
                )
            )
            # the service's completion, else the invoice, else the entry's date (an invoice
            # without date); a delivery after the invoice date still starts it (documented)
            start = move.delivery_date or move.invoice_date or move.date
            acknowledgments = list(paid_on[move.id]) if move.state == "posted" else []
            acknowledgments += [
                plan.date_confirmed for plan in move.sudo().relance_plan_ids if plan.date_confirmed
            ]
            claims = []
            if kind == "public":
                claims = [
                    reminder.letter_posted_date or reminder.date
                    for reminder in move.sudo().relance_reminder_ids
                    if reminder.level_id.days > 0 and _received(reminder)
                ]
            end, basis, day = relance_legal.limitation(kind, start, acknowledgments, claims)
            limits[move.id] = (end, kind, basis, day)
        return limits

    @api.depends(
        "move_type",
        "invoice_date",
        "invoice_date_due",
        "commercial_partner_id",
        "company_id.relance_payment_term_warning",
    )
    def _compute_relance_payment_term_warning(self):
        for move in self:
            excess = relance_collection.payment_term_excess(move.invoice_date, move.invoice_date_due)
            if (
                move.move_type != "out_invoice"
                or not excess
                or not move.company_id.relance_payment_term_warning
                or not move.commercial_partner_id
                or not move.commercial_partner_id._relance_is_professional()
            ):
                move.relance_payment_term_warning = False
                continue
            move.relance_payment_term_warning = self.env._(
                "The due date is %(days)s days after the invoice date. Between professionals, payment "
                "terms may not exceed %(cap)s days from the invoice date (or 45 days end of month when "
                "expressly agreed): art. L441-10 du Code de commerce.",
                days=(move.invoice_date_due - move.invoice_date).days,
                cap=relance_collection.PAYMENT_TERM_CAP_DAYS,
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

    def action_relance_dispute(self):
        """Record the customer's dispute of this invoice: it leaves the dunning while open."""
        self.ensure_one()
        self.env["relance.dispute"]._relance_check_invoices(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dispute"),
            "res_model": "relance.dispute",
            "view_mode": "form",
            "target": "new",
            "context": {"default_invoice_id": self.id},
        }

    def action_relance_send(self):
        self.ensure_one()
        return self.env["relance.reminder.send"]._action_open(self.commercial_partner_id)

    @api.model
    def _cron_relance_prescription(self, batch_size=PRESCRIPTION_BATCH):
        """Daily: an activity for the AR specialist, once per invoice, 90 days before an open
        invoice's limitation date. One batch per call, progress reported to the cron."""
        today = fields.Date.context_today(self)
        invoices = self.search(
            [
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("relance_prescription_notified", "=", False),
                ("relance_prescription_date", ">=", today),
                (
                    "relance_prescription_date",
                    "<=",
                    fields.Date.add(today, days=relance_collection.PRESCRIPTION_NOTICE_DAYS),
                ),
            ],
            order="relance_prescription_date, id",
            limit=batch_size + 1,
        )
        batch, more = invoices[:batch_size], len(invoices) > batch_size
        activity_type = self.env["ir.model.data"]._xmlid_to_res_id("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        reminders = self.env["relance.reminder"]
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": inv.id,
                    "activity_type_id": activity_type,
                    "summary": self.env._(
                        "Limitation date on %(date)s", date=reminders._fmt_date(inv.relance_prescription_date)
                    ),
                    "note": Markup("<p>%s</p>")
                    % self.env._(
                        "%(invoice)s of %(partner)s (%(amount)s remaining) can no longer be claimed in "
                        "court after %(date)s: hand it over for collection or settle it before then.",
                        invoice=inv.name,
                        partner=inv.commercial_partner_id.name,
                        amount=reminders._fmt_amount(inv.amount_residual, inv.currency_id),
                        date=reminders._fmt_date(inv.relance_prescription_date),
                    ),
                    "user_id": (
                        inv.company_id._relance_specialist(inv.commercial_partner_id)
                        or inv.invoice_user_id
                        or self.env.user
                    ).id,
                    "date_deadline": today,
                }
                for inv in batch
            ]
        )
        if batch:
            self.env.execute_query(
                SQL(
                    "UPDATE account_move SET relance_prescription_notified = TRUE WHERE id = ANY(%s)",
                    batch.ids,
                )
            )
            batch.invalidate_recordset(["relance_prescription_notified"])
        compat.cron_progress(self.env, len(batch), int(more))
        return len(batch)

    def _relance_lang(self):
        """The language of the customer's messages (res.partner._relance_lang)."""
        return self[:1].partner_id._relance_lang()
