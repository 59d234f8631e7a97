"""18.0.1.1.0: the daily run moved from relance.reminder to its own model, relance.run.

The cron is a noupdate record: point it at the new model by hand."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("relance_fr.ir_cron_relance", raise_if_not_found=False)
    if cron:
        cron.model_id = env.ref("relance_fr.model_relance_run")
