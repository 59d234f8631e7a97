from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import format_amount, format_date

from ..tools import relance_kpi, relance_rules
from .relance_dispute import REASONS

# how long open disputes have been open, for the table by reason and age
DISPUTE_AGES = [("0_30", None, 30), ("31_60", 31, 60), ("61_90", 61, 90), ("over_90", 91, None)]
RECEIVABLE_MOVES = ("out_invoice", "out_refund", "out_receipt")


class RelanceAnalysis(models.Model):
    """The credit controller's figures above the reminders and the overdue analysis."""

    _inherit = "relance.analysis"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def retrieve_dashboard(self):
        """Figures shown above the reminders and the analysis, for the current company:
        amounts overdue and not due, DSO beside the best possible DSO and the CEI, what customers
        said (promises, disputes), reminders waiting for someone, bank warnings."""
        company = self.env.company
        today = fields.Date.context_today(self)
        overdue, not_due, count = self._read_group(
            [("company_id", "=", company.id)],
            [],
            ["amount_overdue:sum", "amount_not_due:sum", "move_id:count_distinct"],
        )[0]
        states = dict(
            self.env["relance.reminder"]._read_group(
                [
                    ("company_id", "=", company.id),
                    ("state", "in", ("to_validate", "to_send", "to_print", "to_call", "error")),
                ],
                ["state"],
                ["__count"],
            )
        )
        figures = self._company_figures(company, today)
        return {
            **{key: None if value is None else round(value) for key, value in figures.items()},
            **self._conversation_figures(company, today),
            "overdue": format_amount(self.env, overdue or 0.0, company.currency_id),
            "not_due": format_amount(self.env, not_due or 0.0, company.currency_id),
            "invoice_count": count,
            "states": [
                {"state": state, "label": label, "count": states.get(state, 0)}
                for state, label in [
                    ("to_validate", self.env._("To validate")),
                    ("to_print", self.env._("To print")),
                    ("to_send", self.env._("To send")),
                    ("to_call", self.env._("To call")),
                    ("error", self.env._("Errors")),
                ]
            ],
            "bank_warnings": self._bank_warning_messages(company, today),
            "link_warning": self.env["res.partner"]._relance_public_address_problem(),
            "validator_warning": company._relance_validator_warning(),
            # named here: the web client's translations are shared by every module, and Odoo's
            # own dashboards call the DSO "DMP" in French
            "dso_label": self.env._("DSO"),
        }

    @api.model
    def _company_figures(self, company, today):
        """DSO, best possible DSO and CEI of ``company`` over the last 365 days, from customer
        receivables and the sales invoiced over the period (five grouped queries)."""
        since = today - timedelta(days=365)
        Line = self.env["account.move.line"].sudo()
        receivable = [
            ("company_id", "=", company.id),
            ("parent_state", "=", "posted"),
            ("account_type", "=", "asset_receivable"),
        ]
        customer = [("move_id.move_type", "in", RECEIVABLE_MOVES)]
        open_now = Line._read_group([*receivable, *customer], [], ["amount_residual:sum"])[0][0] or 0.0
        not_due = (
            Line._read_group(
                [*receivable, *customer, ("date_maturity", ">=", today)], [], ["amount_residual:sum"]
            )[0][0]
            or 0.0
        )
        start = Line._read_group([*receivable, ("date", "<=", since)], [], ["balance:sum"])[0][0] or 0.0
        end = Line._read_group([*receivable, ("date", "<=", today)], [], ["balance:sum"])[0][0] or 0.0
        sales = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "posted"),
                    ("move_type", "in", RECEIVABLE_MOVES),
                    ("invoice_date", ">", since),
                    ("invoice_date", "<=", today),
                ],
                [],
                ["amount_total_signed:sum"],
            )[0][0]
            or 0.0
        )
        return {
            "dso": relance_rules.dso(open_now, sales),
            "best_dso": relance_kpi.best_possible_dso(not_due, sales),
            "cei": relance_kpi.collection_effectiveness(start, sales, end, not_due) if sales else None,
        }

    @api.model
    def _conversation_figures(self, company, today):
        """What customers said: promises kept over the last 12 months, open promises, what
        active payment plans still have to bring in, open disputes by reason and age."""
        Promise = self.env["relance.promise"]
        settled = dict(
            Promise._read_group(
                [
                    ("company_id", "=", company.id),
                    ("state", "in", ("kept", "broken")),
                    ("date_deadline", ">", today - timedelta(days=365)),
                ],
                ["state"],
                ["__count"],
            )
        )
        rate = relance_kpi.kept_rate(settled.get("kept", 0), settled.get("broken", 0))
        count, amount = Promise._read_group(
            [("company_id", "=", company.id), ("state", "=", "open")], [], ["__count", "amount:sum"]
        )[0]
        plans = self.env["relance.plan"].search([("company_id", "=", company.id), ("state", "=", "active")])
        under_plan = sum(  # in company currency
            p.currency_id._convert(p.amount_total - p.amount_paid, company.currency_id, company, today)
            for p in plans
        )
        disputes = self.env["relance.dispute"].search(
            [("company_id", "=", company.id), ("state", "=", "open")]
        )
        table = relance_kpi.ages_by_reason(
            [(d.reason, (today - d.date).days) for d in disputes.sorted("reason")], DISPUTE_AGES
        )
        labels = dict(self.env["relance.dispute"]._fields["reason"]._description_selection(self.env))
        return {
            "promises_kept": None if rate is None else round(rate),
            "promises_open": count,
            "promises_open_amount": format_amount(self.env, amount or 0.0, company.currency_id),
            "plans_active": len(plans),
            "under_plan": format_amount(self.env, under_plan, company.currency_id),
            "disputes_open": len(disputes),
            "disputes": [
                {"reason": labels[reason], "ages": [row[key] for key, _low, _high in DISPUTE_AGES]}
                for reason, _label in REASONS
                if (row := table.get(reason))
            ],
        }

    @api.model
    def _bank_warnings(self, company, today):
        """Bank journals of ``company`` that may hide a customer payment: ``[(journal, reason,
        date)]`` where reason is ``unreconciled`` (oldest open transaction ``date``) or
        ``not_fed`` (last transaction ``date``), per ``relance_rules.bank_behind``."""
        journals = (
            self.env["account.journal"]
            .sudo()
            .search([("type", "=", "bank"), ("company_id", "=", company.id)])
        )
        if not journals:
            return []
        lines = self.env["account.bank.statement.line"].sudo()
        domain = [("journal_id", "in", journals.ids), ("state", "=", "posted")]
        last = dict(lines._read_group(domain, ["journal_id"], ["date:max"]))
        oldest = dict(
            lines._read_group([*domain, ("is_reconciled", "=", False)], ["journal_id"], ["date:min"])
        )
        warnings = []
        for journal in journals:
            reason = relance_rules.bank_behind(oldest.get(journal), last.get(journal), today)
            if reason:
                day = {"unreconciled": oldest, "not_fed": last}.get(reason, {}).get(journal)
                warnings.append((journal, reason, day))
        return warnings

    @api.model
    def _bank_warning_messages(self, company=None, today=None):
        """The bank warnings as sentences for the screens."""
        company = company or self.env.company
        today = today or fields.Date.context_today(self)
        messages = []
        for journal, reason, day in self._bank_warnings(company, today):
            if reason == "unreconciled":
                message = self.env._(
                    "%(journal)s has transactions waiting for reconciliation since %(date)s: "
                    "a customer payment may be among them. Reconcile before sending reminders.",
                    journal=journal.name,
                    date=format_date(self.env, day),
                )
            elif reason == "not_fed":
                message = self.env._(
                    "%(journal)s has no bank transaction since %(date)s: import the bank statements "
                    "and reconcile them before sending reminders.",
                    journal=journal.name,
                    date=format_date(self.env, day),
                )
            else:
                message = self.env._(
                    "%(journal)s has never received a bank transaction: import the bank statements "
                    "so that customer payments are seen before reminders go out.",
                    journal=journal.name,
                )
            messages.append(message)
        return messages
