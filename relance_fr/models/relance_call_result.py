from odoo import fields, models

OUTCOMES = [
    ("none", "Nothing more"),
    ("promise", "Promise to pay"),
    ("paid", "Declared as paid"),
    ("dispute", "Dispute"),
    ("plan", "Payment plan"),
]


class RelanceCallResult(models.Model):
    """An outcome of a dunning call (configurable): whether the customer was reached, and what
    the call leads to (a promise, a dispute...), created in the same step."""

    _name = "relance.call.result"
    _description = "Call outcome"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    reached = fields.Boolean(
        "Customer reached",
        default=True,
        help="The reminder was given to the customer (or its voicemail): the call reminder is sent. "
        "Otherwise the call is logged and still to make.",
    )
    outcome = fields.Selection(
        OUTCOMES, required=True, default="none", help="What logging a call with this outcome creates."
    )
