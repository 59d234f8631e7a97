"""18.0.1.3.0: the salesperson keeps one "customer in dunning" task per customer.

Up to 18.0.1.2.0 every reminder from Relance 2 on added a to-do "Customer in dunning: <level>"
("Client en relance : <niveau>") for the salesperson on the customer, so they piled up. The
newest of each salesperson and customer becomes the task of the new activity type (brought up
to date by the next reminders); the older ones are removed."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

SUMMARIES = ("Customer in dunning: %", "Client en relance : %")


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    kept, removed = merge_salesperson_tasks(env)
    _logger.info(
        "relance_fr %s: %d salesperson task(s) kept, one per salesperson and customer; %d older removed",
        version,
        kept,
        removed,
    )


def merge_salesperson_tasks(env):
    """One task of type *Customer in dunning* per salesperson and customer: ``(kept, removed)``."""
    task_type = env.ref("relance_fr.mail_activity_type_dunning")
    domain = [
        ("res_model", "=", "res.partner"),
        ("activity_type_id", "in", [env.ref("mail.mail_activity_data_todo").id, task_type.id]),
        "|",
        ("summary", "=like", SUMMARIES[0]),
        ("summary", "=like", SUMMARIES[1]),
    ]
    activities = env["mail.activity"].search(domain, order="date_deadline desc, id desc")
    newest = {}
    for activity in activities:
        newest.setdefault((activity.res_id, activity.user_id.id), activity)
    kept = env["mail.activity"].union(*newest.values())
    kept.write({"activity_type_id": task_type.id})
    (activities - kept).unlink()
    return len(kept), len(activities - kept)
