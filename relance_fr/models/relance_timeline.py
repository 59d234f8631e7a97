from odoo import api, fields, models, tools
from odoo.tools import SQL, format_date

# what happened with a customer, one kind of event per source (the id keeps the source's id)
KINDS = [
    ("reminder", "Reminder"),
    ("call", "Call"),
    ("promise", "Promise to pay"),
    ("dispute", "Dispute"),
    ("plan", "Payment plan"),
    ("payment", "Payment"),
    ("credit_note", "Credit note"),
]
KIND_MODELS = {
    "reminder": "relance.reminder",
    "call": "relance.call",
    "promise": "relance.promise",
    "dispute": "relance.dispute",
    "plan": "relance.plan",
    "payment": "account.move",
    "credit_note": "account.move",
}
STATEFUL = {"reminder", "promise", "dispute", "plan"}
KIND_NUMBER = {kind: number for number, (kind, _label) in enumerate(KINDS, start=1)}


class RelanceTimeline(models.Model):
    """One timeline per customer: reminders, calls, promises, disputes, payment plans, payments
    and credit notes in date order (a SQL view over those records; each line opens its source)."""

    _name = "relance.timeline"
    _description = "Customer dunning timeline"
    _auto = False
    _order = "date desc, sequence desc, id desc"
    _rec_name = "description"
    # what the view reads: written to the database before it is read
    _depends = {
        "relance.reminder": ["partner_id", "company_id", "date", "amount_due", "user_id", "state"],
        "relance.call": ["partner_id", "company_id", "date", "user_id"],
        "relance.promise": ["partner_id", "company_id", "date_recorded", "amount", "user_id", "state"],
        "relance.dispute": ["partner_id", "company_id", "date", "invoice_id", "user_id", "state"],
        "relance.plan": [
            "partner_id",
            "company_id",
            "date_confirmed",
            "create_date",
            "amount_total",
            "currency_id",
            "user_id",
            "state",
        ],
        "account.move": [
            "move_type",
            "commercial_partner_id",
            "company_id",
            "date",
            "amount_residual",
            "currency_id",
        ],
        "account.move.line": ["parent_state", "account_id", "balance", "move_id"],
        "account.account": ["account_type"],
        "res.company": ["currency_id"],
    }

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Date(readonly=True)
    sequence = fields.Integer(readonly=True, help="Order of the events of one day.")
    kind = fields.Selection(KINDS, readonly=True)
    res_id = fields.Integer("Source", readonly=True)
    amount = fields.Monetary(currency_field="currency_id", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="By", readonly=True)
    state = fields.Char(readonly=True)
    description = fields.Char(compute="_compute_description")
    status = fields.Char(compute="_compute_description")

    @api.depends("kind", "res_id", "state")
    def _compute_description(self):
        for kind, model in KIND_MODELS.items():  # one read per kind (prefetch)
            lines = self.filtered(lambda t, k=kind: t.kind == k)
            self.env[model].browse(lines.mapped("res_id")).mapped("display_name")
        for line in self:
            record = self.env[KIND_MODELS[line.kind]].browse(line.res_id)
            line.description = self._describe(line.kind, record)
            line.status = self._status_label(record, line.state) if line.kind in STATEFUL else ""

    def _describe(self, kind, record):
        """What the line says, in the user's language."""
        if kind == "reminder":
            channel = dict(record._fields["channel"]._description_selection(self.env)).get(record.channel, "")
            return f"{record.level_id.name} ({channel})" if channel else record.level_id.name or ""
        if kind == "call":
            text = record.result_id.name or ""
            return f"{text}: {record.note}" if record.note else text
        if kind == "promise":
            when = format_date(self.env, record.date)
            if record.declared_paid:
                return self.env._("Says it paid on %(date)s", date=when)
            return self.env._("Promises to pay on %(date)s", date=when)
        if kind == "dispute":
            reason = dict(record._fields["reason"]._description_selection(self.env)).get(record.reason, "")
            return f"{record.invoice_id.name}: {reason}"
        if kind == "plan":
            frequency = dict(record._fields["frequency"]._description_selection(self.env)).get(
                record.frequency, ""
            )
            return self.env._(
                "%(count)s instalments (%(frequency)s) from %(date)s",
                count=len(record.line_ids),
                frequency=frequency.lower(),
                date=format_date(self.env, min(record.line_ids.mapped("date"), default=record.first_date)),
            )
        if record.ref and record.ref != record.name:
            return f"{record.name} ({record.ref})"
        return record.name or ""

    def _status_label(self, record, state):
        return dict(record._fields["state"]._description_selection(self.env)).get(state, state or "")

    def action_open_source(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": KIND_MODELS[self.kind],
            "res_id": self.res_id,
            "view_mode": "form",
            "target": "current",
        }

    @api.model
    def _branches(self):
        """One SELECT per kind of event, each giving the view's columns in the same order."""
        return [
            SQL(
                """SELECT r.id * 10 + %(n)s AS id, r.partner_id, r.company_id, r.date, 1 AS sequence,
                          'reminder' AS kind, r.id AS res_id, r.amount_due AS amount, c.currency_id,
                          r.user_id, r.state
                     FROM relance_reminder r JOIN res_company c ON c.id = r.company_id""",
                n=KIND_NUMBER["reminder"],
            ),
            SQL(
                """SELECT k.id * 10 + %(n)s, k.partner_id, k.company_id,
                          (k.date AT TIME ZONE 'UTC')::date, 2, 'call', k.id, NULL, NULL,
                          k.user_id, NULL
                     FROM relance_call k""",
                n=KIND_NUMBER["call"],
            ),
            SQL(
                """SELECT p.id * 10 + %(n)s, p.partner_id, p.company_id, p.date_recorded, 3, 'promise',
                          p.id, p.amount, c.currency_id, p.user_id, p.state
                     FROM relance_promise p JOIN res_company c ON c.id = p.company_id""",
                n=KIND_NUMBER["promise"],
            ),
            SQL(
                """SELECT d.id * 10 + %(n)s, d.partner_id, d.company_id, d.date, 4, 'dispute', d.id,
                          m.amount_residual, m.currency_id, d.user_id, d.state
                     FROM relance_dispute d JOIN account_move m ON m.id = d.invoice_id""",
                n=KIND_NUMBER["dispute"],
            ),
            SQL(
                """SELECT p.id * 10 + %(n)s, p.partner_id, p.company_id,
                          COALESCE(p.date_confirmed, (p.create_date AT TIME ZONE 'UTC')::date), 5, 'plan',
                          p.id, p.amount_total, p.currency_id, p.user_id, p.state
                     FROM relance_plan p""",
                n=KIND_NUMBER["plan"],
            ),
            SQL(
                """SELECT m.id * 10 + CASE WHEN m.move_type = 'out_refund' THEN %(credit)s ELSE %(paid)s END,
                          m.commercial_partner_id, m.company_id, m.date, 0,
                          CASE WHEN m.move_type = 'out_refund' THEN 'credit_note' ELSE 'payment' END,
                          m.id, -SUM(l.balance), c.currency_id, NULL, NULL
                     FROM account_move_line l
                     JOIN account_move m ON m.id = l.move_id
                     JOIN res_company c ON c.id = m.company_id
                     JOIN account_account a ON a.id = l.account_id
                    WHERE l.parent_state = 'posted'
                      AND a.account_type = 'asset_receivable'
                      AND m.move_type IN ('entry', 'out_refund')
                      AND m.commercial_partner_id IS NOT NULL
                    GROUP BY m.id, c.currency_id
                   HAVING SUM(l.balance) < 0""",
                credit=KIND_NUMBER["credit_note"],
                paid=KIND_NUMBER["payment"],
            ),
        ]

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                SQL(" UNION ALL ").join(self._branches()),
            )
        )
