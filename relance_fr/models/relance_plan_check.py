from odoo import api, models
from odoo.tools import SQL

from ..tools import relance_legal, relance_plan
from .relance_plan import OPEN_STATES
from .relance_promise import PAID_STATES


class RelancePlan(models.Model):  # pylint: disable=consider-merging-classes-inherited
    """The daily check of payment plans (called by relance.run._cron_run)."""

    _inherit = "relance.plan"

    @api.model
    def _relance_check_plans(self, today):
        """Active plans, once a day each: the payments their invoices received count towards
        the instalments (oldest first); a plan paid is done, one with an instalment late
        beyond the company's break days is broken, the others get their notices and late
        reminders (once per instalment). Each plan is locked and stamped for the day first,
        so that two runs never check it twice."""
        self.flush_model(["state", "date_checked"])
        rows = self.env.execute_query(
            SQL(
                """
            UPDATE relance_plan SET date_checked = %(today)s
             WHERE id IN (SELECT id FROM relance_plan
                           WHERE state = 'active' AND (date_checked IS NULL OR date_checked < %(today)s)
                           ORDER BY id FOR NO KEY UPDATE SKIP LOCKED)
            RETURNING id
            """,
                today=today,
            )
        )
        plans = self.browse(sorted(r[0] for r in rows))
        plans.invalidate_recordset(["date_checked", "state"])
        notice = self.env.ref("relance_fr.mail_template_plan_notice")
        late = self.env.ref("relance_fr.mail_template_plan_late")
        for plan in plans:
            outcome = plan._relance_allocate(today)
            if outcome == "done":
                plan._relance_done(today)
            elif outcome == "broken":
                plan._relance_broken(today)
            else:
                plan._relance_remind(today, notice, late)
        return plans

    def _relance_allocate(self, today):
        """Count the payments towards the instalments; ``'done'``, ``'broken'`` or ``None``."""
        self.ensure_one()
        rounding = self.currency_id.rounding
        lines = self.line_ids.sorted(lambda ln: (ln.date, ln.id))
        paid = relance_plan.allocate_payments(
            lines.mapped("amount"), self.amount_residual_start - self._relance_residual(), rounding
        )
        for line, amount_paid in zip(lines, paid, strict=True):
            state = relance_plan.line_state(line.amount, amount_paid, line.date, today, rounding)
            if line.state != state or line.currency_id.compare_amounts(line.amount_paid, amount_paid):
                line.write({"state": state, "amount_paid": amount_paid})
        if all(line.state == "paid" for line in lines) or all(
            inv.payment_state in PAID_STATES for inv in self.invoice_ids
        ):
            return "done"
        if relance_legal.plan_broken(
            [(ln.date, ln.state, ln.late_date) for ln in lines],
            today,
            self.company_id.relance_plan_break_days,
            consumer=self.partner_id._relance_debtor_kind() == "consumer",
        ):
            return "broken"
        return None

    def _relance_remind(self, today, notice, late):
        self.ensure_one()
        if self.partner_id.relance_excluded:
            return  # a customer excluded from dunning receives no reminder, the plan's neither
        lines = self.line_ids.sorted(lambda ln: (ln.date, ln.id))
        late_keys = relance_plan.lates_to_remind([(ln.id, ln.state, bool(ln.late_date)) for ln in lines])
        notice_keys = relance_plan.notices_due(
            [(ln.id, ln.date, ln.state, bool(ln.notice_date)) for ln in lines],
            today,
            self.company_id.relance_plan_notice_days,
            self.date_confirmed,
        )
        for line in lines.browse(late_keys):
            self._relance_send(late, line)
            line.late_date = today
        for line in lines.browse(notice_keys):
            self._relance_send(notice, line)
            line.notice_date = today

    def _relance_done(self, today):
        self.ensure_one()
        self.write({"state": "done", "date_closed": today})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        still_owed = self.invoice_ids.filtered(lambda m: m.payment_state in OPEN_STATES)
        if still_owed:
            body = self.env._(
                "%(plan)s paid: every instalment came. %(invoices)s still owe %(amount)s, dunned again.",
                plan=self.display_name,
                invoices=", ".join(still_owed.mapped("name")),
                amount=self._fmt_amount(self._relance_residual()),
            )
            still_owed._relance_recompute_next_date()
        else:
            body = self.env._("%(plan)s done: the invoices are paid.", plan=self.display_name)
        self._relance_partner_note(body)

    def _relance_broken(self, today):
        self.ensure_one()
        self.write({"state": "broken", "date_closed": today})
        missed = self.line_ids.filtered(lambda ln: ln.state == "late").sorted("date")[:1]
        open_invoices = self.invoice_ids.filtered(lambda m: m.payment_state in OPEN_STATES)
        body = self.env._(
            "%(plan)s not followed: the instalment of %(date)s (%(amount)s) is unpaid %(days)s days "
            "later. Dunning of %(invoices)s resumes at the level reached; the next reminder recalls "
            "the plan.",
            plan=self.display_name,
            date=self._fmt_date(missed.date),
            amount=self._fmt_amount(missed.amount - missed.amount_paid),
            days=(today - missed.date).days if missed else 0,
            invoices=", ".join(open_invoices.mapped("name")) or "-",
        )
        self._relance_partner_note(body)
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=today,
            summary=self.env._("Payment plan not followed: %(partner)s", partner=self.partner_id.name),
            note=body,
            user_id=self._relance_specialist().id,
        )
        open_invoices._relance_recompute_next_date()
