from odoo import api, fields, models
from odoo.models import regex_order
from odoo.tools import SQL

from ..tools import relance_rules
from .relance_policy import PROFILES

AGE_BUCKET_LABELS = {
    "not_due": "Not due",
    "1_30": "1-30 days",
    "31_60": "31-60 days",
    "61_90": "61-90 days",
    "over_90": "Over 90 days",
}
AGE_BUCKET_SELECTION = [(key, AGE_BUCKET_LABELS[key]) for key, _low, _high in relance_rules.AGE_BUCKETS]


class RelanceAnalysis(models.Model):
    """Open customer invoices by age and dunning level: one row per open instalment (receivable
    line) of a posted customer invoice, amounts in company currency, ages on today."""

    _name = "relance.analysis"
    _description = "Overdue analysis"
    _auto = False
    _rec_name = "move_id"
    _order = "date_due, id"

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company currency", readonly=True)
    user_id = fields.Many2one("res.users", string="AR specialist", readonly=True)
    invoice_user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    level_id = fields.Many2one("relance.level", string="Dunning level (scenario)", readonly=True)
    level_name = fields.Char(
        "Dunning level",
        readonly=True,
        help="Levels of the same name in the different scenarios count together.",
    )
    level_sequence = fields.Integer(readonly=True, aggregator="min")
    profile = fields.Selection(PROFILES, string="Payer profile", readonly=True)
    excluded = fields.Boolean("Excluded from dunning", readonly=True)
    invoice_date = fields.Date(readonly=True)
    date_due = fields.Date("Due date", readonly=True)
    days_late = fields.Integer("Days late", readonly=True, aggregator="max")
    age_bucket = fields.Selection(AGE_BUCKET_SELECTION, string="Age", readonly=True)
    amount_residual = fields.Monetary("Amount due", readonly=True, currency_field="currency_id")
    amount_overdue = fields.Monetary("Overdue", readonly=True, currency_field="currency_id")
    amount_not_due = fields.Monetary("Not yet due", readonly=True, currency_field="currency_id")
    in_collection = fields.Boolean(
        "In collection", readonly=True, help="Handed over to a lawyer or an agency."
    )
    amount_collection = fields.Monetary("Amount in collection", readonly=True, currency_field="currency_id")

    _depends = {
        "account.move": [
            "commercial_partner_id",
            "move_type",
            "invoice_user_id",
            "invoice_date",
            "invoice_date_due",
            "relance_level_id",
            "relance_excluded",
        ],
        "account.move.line": [
            "move_id",
            "company_id",
            "company_currency_id",
            "account_id",
            "parent_state",
            "date_maturity",
            "amount_residual",
            "reconciled",
        ],
        "res.partner": ["relance_specialist_id", "relance_excluded", "trust"],
        "res.company": ["relance_specialist_id"],
        "relance.level": ["name", "sequence"],
        "relance.collection": ["state", "invoice_ids"],
        "account.account": ["account_type"],
    }

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        days = SQL(
            "(%s::date - COALESCE(line.date_maturity, move.invoice_date_due, move.invoice_date))", today
        )
        collected = SQL(
            """EXISTS (SELECT 1 FROM relance_collection_account_move_rel rel
                         JOIN relance_collection coll ON coll.id = rel.collection_id
                        WHERE rel.move_id = move.id AND coll.state = 'handed_over')"""
        )
        return SQL(
            """
            SELECT line.id AS id,
                   line.move_id AS move_id,
                   move.commercial_partner_id AS partner_id,
                   line.company_id AS company_id,
                   line.company_currency_id AS currency_id,
                   COALESCE(partner.relance_specialist_id, company.relance_specialist_id) AS user_id,
                   move.invoice_user_id AS invoice_user_id,
                   move.relance_level_id AS level_id,
                   COALESCE(level.name ->> %(lang)s, level.name ->> 'en_US', %(never)s) AS level_name,
                   COALESCE(level.sequence, -1) AS level_sequence,
                   CASE COALESCE(partner.trust ->> line.company_id::text, 'normal')
                        WHEN 'good' THEN 'good' WHEN 'bad' THEN 'doubtful' ELSE 'standard'
                   END AS profile,
                   (move.relance_excluded IS TRUE OR partner.relance_excluded IS TRUE) AS excluded,
                   move.invoice_date AS invoice_date,
                   COALESCE(line.date_maturity, move.invoice_date_due) AS date_due,
                   %(days)s AS days_late,
                   %(bucket)s AS age_bucket,
                   line.amount_residual AS amount_residual,
                   CASE WHEN %(days)s > 0 THEN line.amount_residual ELSE 0 END AS amount_overdue,
                   CASE WHEN %(days)s > 0 THEN 0 ELSE line.amount_residual END AS amount_not_due,
                   %(collected)s AS in_collection,
                   CASE WHEN %(collected)s THEN line.amount_residual ELSE 0 END AS amount_collection
              FROM account_move_line line
              JOIN account_move move ON move.id = line.move_id
              JOIN account_account account ON account.id = line.account_id
              JOIN res_partner partner ON partner.id = move.commercial_partner_id
              JOIN res_company company ON company.id = line.company_id
         LEFT JOIN relance_level level ON level.id = move.relance_level_id
             WHERE move.move_type = 'out_invoice'
               AND line.parent_state = 'posted'
               AND account.account_type = 'asset_receivable'
               AND line.reconciled IS NOT TRUE
               AND line.amount_residual != 0
            """,
            days=days,
            collected=collected,
            bucket=self._age_bucket_sql(days),
            lang=self.env.lang or "en_US",
            never=self.env._("Not reminded yet"),
        )

    @api.model
    def _age_bucket_sql(self, days):
        """The age bucket of ``days`` late, as a CASE built from ``relance_rules.AGE_BUCKETS``."""
        whens = []
        for key, low, high in relance_rules.AGE_BUCKETS:
            conditions = [SQL("%s >= %s", days, low) if low is not None else None]
            conditions.append(SQL("%s <= %s", days, high) if high is not None else None)
            condition = SQL(" AND ").join(c for c in conditions if c is not None)
            whens.append(SQL("WHEN %s THEN %s", condition, key))
        return SQL("CASE %s END", SQL(" ").join(whens))

    @api.model
    def _read_group_orderby(self, order, groupby_terms, query):
        # EXTENDS base: age buckets in age order (not due, 1-30, ...) and levels in scenario
        # order (Prévenance, Premier rappel, ...), not alphabetically
        if "age_bucket" not in groupby_terms and "level_name" not in groupby_terms:
            return super()._read_group_orderby(order, groupby_terms, query)
        terms = []
        for part in (order or ",".join(groupby_terms)).split(","):
            match = regex_order.match(part)
            term = match and match["term"]
            direction = SQL("DESC") if match and (match["direction"] or "").upper() == "DESC" else SQL("ASC")
            if term == "age_bucket" and term in groupby_terms:
                ranks = SQL(" ").join(
                    SQL("WHEN %s THEN %s", key, rank)
                    for rank, (key, _low, _high) in enumerate(relance_rules.AGE_BUCKETS)
                )
                terms.append(SQL("CASE %s %s END %s", groupby_terms[term], ranks, direction))
            elif term == "level_name" and term in groupby_terms:
                sequence = self._field_to_sql(self._table, "level_sequence", query)
                terms.append(SQL("MIN(%s) %s, %s %s", sequence, direction, groupby_terms[term], direction))
            else:
                terms.append(super()._read_group_orderby(part, groupby_terms, query))
        return SQL(", ").join(term for term in terms if term)

    @api.model
    def _payment_pairs(self, partners, company, since):
        """``{commercial partner id: [(due date, payment date)]}`` for the customer invoice
        instalments of ``company`` fully paid on or after ``since`` (one query)."""
        if not partners:
            return {}
        for model in ("account.move", "account.move.line", "account.partial.reconcile"):
            self.env[model].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
            SELECT move.commercial_partner_id, COALESCE(line.date_maturity, move.invoice_date_due),
                   MAX(part.max_date)
              FROM account_move_line line
              JOIN account_move move ON move.id = line.move_id
              JOIN account_account account ON account.id = line.account_id
              JOIN account_partial_reconcile part ON part.debit_move_id = line.id
             WHERE line.company_id = %(company)s
               AND move.commercial_partner_id = ANY(%(partners)s)
               AND move.move_type = 'out_invoice'
               AND move.payment_state IN ('paid', 'in_payment')
               AND line.parent_state = 'posted'
               AND account.account_type = 'asset_receivable'
               AND line.reconciled
             GROUP BY line.id, move.commercial_partner_id, line.date_maturity, move.invoice_date_due
            HAVING MAX(part.max_date) >= %(since)s
            """,
                company=company.id,
                partners=list(partners.ids),
                since=since,
            )
        )
        pairs = {}
        for partner_id, due, paid in rows:
            pairs.setdefault(partner_id, []).append((due, paid))
        return pairs
