"""Benchmark of the daily run, run inside `odoo-bin shell` (see scripts/bench.sh).

BENCH_MODE=build: the dataset (customers, posted invoices spread over 150 days, some partly
or fully paid). BENCH_MODE=ours / oca: one dunning run over it, by relance_fr or by OCA's
account_credit_control, for the same work (select what is due, group by customer into one
communication, queue the emails; with BENCH_PDF=1 and a running Odoo at REPORT_URL for
wkhtmltopdf, the invoices' PDFs attached to them), printing one JSON line of measures.
"""

import json
import os
import random
import resource
import time
from datetime import timedelta

from odoo import Command, api, fields, sql_db

env = env  # noqa: F821, PLW0127 - provided by odoo-bin shell
mode = os.environ["BENCH_MODE"]
today = fields.Date.context_today(env["res.users"])
company = env.ref("base.main_company")


def build(n_invoices):
    random.seed(1)
    company.write(
        {
            "name": "Bench SAS",
            "country_id": env.ref("base.fr").id,
            "currency_id": env.ref("base.EUR").id,
            "street": "1 rue du Banc",
            "zip": "69001",
            "city": "Lyon",
            "email": "compta@bench.example",
        }
    )
    env["account.chart.template"].try_loading("fr", company=company, install_demo=False)
    company.relance_welcome_auto = False  # a dataset, not new customers to welcome
    account = env["account.account"].search([("account_type", "=", "income")], limit=1)
    partners = env["res.partner"].create(
        [
            {
                "name": f"Client {i:05d}",
                "is_company": True,
                "email": f"c{i}@bench.example",
                "street": f"{i} rue Neuve",
                "zip": "69002",
                "city": "Lyon",
                "vat": "FR23334175221",
            }
            for i in range(max(n_invoices // 5, 1))
        ]
    )
    moves = env["account.move"]
    for start in range(0, n_invoices, 500):
        vals = []
        for number in range(start, min(start + 500, n_invoices)):
            due = today - timedelta(days=random.randint(-10, 140))
            vals.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": random.choice(partners).id,
                    # numbered here: Odoo's sequence look-up per posted invoice is quadratic in bulk
                    "name": f"BENCH/{number + 1:06d}",
                    "invoice_date": due - timedelta(days=30),
                    "invoice_date_due": due,
                    "invoice_payment_term_id": False,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Prestation",
                                "price_unit": round(random.uniform(50, 5000), 2),
                                "tax_ids": [],
                                "account_id": account.id,
                            }
                        )
                    ],
                }
            )
        batch = env["account.move"].create(vals)
        batch.action_post()
        moves |= batch
        env.cr.commit()
    paid = moves.filtered(lambda m: random.random() < 0.1)
    partial = (moves - paid).filtered(lambda m: random.random() < 0.05)
    chunks = [(paid[i : i + 25].ids, None) for i in range(0, len(paid), 25)]
    chunks += [(move.ids, round(move.amount_residual / 2, 2)) for move in partial]
    for ids, amount in chunks:
        # a fresh transaction per payment: environments pile up in a long one and slow it down
        with env.registry.cursor() as cr:
            wizard_env = api.Environment(cr, env.uid, {})
            wizard = wizard_env["account.payment.register"].with_context(
                active_model="account.move", active_ids=ids
            )
            wizard.create({"amount": amount} if amount else {"group_payment": False}).action_create_payments()
    env.cr.commit()
    print(json.dumps({"invoices": len(moves), "customers": len(partners)}))


pdf = bool(os.environ.get("BENCH_PDF"))
if pdf:
    env["ir.config_parameter"].set_param("report.url", os.environ["REPORT_URL"])


def email_only_ours():
    """Same work as the OCA run: emails only."""
    env["relance.level"].search([]).write({"channel": "email", "needs_validation": False})
    company.relance_attach_invoice_pdf = pdf
    env.cr.commit()


def email_only_oca():
    receivable = env["account.account"].search([("account_type", "=", "asset_receivable")])
    template = env.ref("account_credit_control.email_template_credit_control_base")
    if not pdf:
        template.report_template_ids = False
    policy = env["credit.control.policy"].create(
        {
            "name": "Bench",
            "account_ids": [Command.set(receivable.ids)],
            "level_ids": [
                Command.create(
                    {
                        "name": f"Level {i}",
                        "level": i,
                        "computation_mode": "net_days",
                        "delay_days": days,
                        "channel": "email",
                        "email_template_id": template.id,
                        "custom_text": "Merci de régler.",
                        "custom_mail_text": "Merci de régler.",
                    }
                )
                for i, days in enumerate((8, 15, 30, 45, 60), start=1)
            ],
        }
    )
    company.credit_policy_id = policy
    env.cr.commit()
    return policy


def measure(run):
    queries, start = sql_db.sql_counter, time.perf_counter()
    produced = run()
    env.cr.commit()
    elapsed = time.perf_counter() - start
    return {
        "seconds": round(elapsed, 2),
        "queries": sql_db.sql_counter - queries,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        **produced,
    }


def pdf_count(model):
    domain = [("res_model", "=", model), ("mimetype", "=", "application/pdf")]
    return env["ir.attachment"].search_count(domain)


def run_ours():
    reminders = env["relance.reminder"].sudo()
    while env["relance.run"].sudo()._cron_run():
        env.cr.commit()
    done = reminders.search([])
    return {
        "invoices": len(done.invoice_ids),
        "communications": len(done),
        "emails": env["mail.mail"].search_count([("model", "=", "relance.reminder")]),
        "pdfs": pdf_count("relance.reminder"),
    }


def run_oca(policy):
    def run():
        credit_run = env["credit.control.run"].create(
            {"date": today, "policy_ids": [Command.set(policy.ids)]}
        )
        credit_run.generate_credit_lines()
        credit_run.set_to_ready_lines()
        credit_run.run_channel_action()
        lines = credit_run.line_ids
        return {
            "invoices": len(lines),
            "communications": len(lines.communication_id),
            "emails": env["mail.mail"].search_count([("model", "=", "credit.control.communication")]),
            "pdfs": pdf_count("credit.control.communication"),
        }

    return run


if mode == "build":
    build(int(os.environ["BENCH_INVOICES"]))
elif mode == "ours":
    email_only_ours()
    print(json.dumps(measure(run_ours)))
elif mode == "oca":
    print(json.dumps(measure(run_oca(email_only_oca()))))
