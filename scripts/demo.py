"""Demo data and a replay of the daily dunning run; run inside `odoo-bin shell`.

A French company (chart of accounts, bank account, AR specialist), about 20 customers across
the three payer profiles with invoices spread over the timeline, then the daily run replayed
day by day over the last ten weeks (so the history holds every level), then today's summary.
Each day, Odoo's mail queue sends the emails to the local SMTP sink started by demo.sh (which
refuses one customer's address and bounces another's), and the bounces come back through Odoo's
mail gateway, as a mailbox fetched by Odoo would bring them.
"""

import base64
import io
import logging
import os
import random
from collections import Counter
from datetime import timedelta
from pathlib import Path

from freezegun import freeze_time
from PIL import Image, ImageDraw

from odoo import Command, fields
from odoo.addons.relance_fr import compat
from odoo.tools import mute_logger

env = env  # noqa: F821, PLW0127 - provided by odoo-bin shell
# the sink refuses one address on purpose: Odoo logs each refusal with its traceback, wherever
# the email leaves from (the queue, or a message sent at once); the demo says it in one line
logging.getLogger("odoo.addons.mail.models.mail_mail").setLevel(logging.CRITICAL)
random.seed(42)
today = fields.Date.context_today(env["res.users"])
company = env.ref("base.main_company")
env["ir.config_parameter"].set_param("report.url", os.environ["REPORT_URL"])
bounces = Path(os.environ["DEMO_BOUNCES"])


def logo():
    """A small letterhead logo, drawn here (no image file to ship)."""
    image = Image.new("RGB", (360, 110), (31, 78, 121))
    draw = ImageDraw.Draw(image)
    draw.rectangle((12, 12, 98, 98), outline=(255, 255, 255), width=5)
    draw.text((38, 44), "AD", fill=(255, 255, 255))
    draw.text((118, 40), "ATELIER DUPONT", fill=(255, 255, 255))
    draw.text((118, 62), "Menuiserie - Agencement", fill=(200, 220, 240))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue())


def pay(invoice, amount, day):
    with freeze_time(day):
        env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount, "payment_date": day}).action_create_payments()


def post_invoice(partner, due, amount, name="Prestation", currency=None, move_type="out_invoice"):
    vals = {
        "move_type": move_type,
        "partner_id": partner.id,
        "invoice_date": due - timedelta(days=30),
        "invoice_date_due": due,
        "invoice_payment_term_id": False,
        "invoice_line_ids": [
            Command.create(
                {
                    "name": name,
                    "quantity": 1,
                    "price_unit": amount,
                    "account_id": product_account.id,
                    "tax_ids": [Command.set(vat.ids)],
                }
            )
        ],
    }
    if currency:
        vals["currency_id"] = currency.id
    invoice = env["account.move"].create(vals)
    with freeze_time(invoice.invoice_date):
        invoice.action_post()
    return invoice


def mail_queue():
    """Odoo's mail queue (its cron, here called by hand), then the bounces that came back. The
    sink refuses one address on purpose: said in one line instead of Odoo's traceback."""
    before = set(env["mail.mail"].sudo().search([("state", "=", "exception")]).ids)
    with mute_logger("odoo.addons.base.models.ir_mail_server"):
        env["mail.mail"].sudo().process_email_queue()
    for mail in env["mail.mail"].sudo().search([("state", "=", "exception"), ("id", "not in", list(before))]):
        address = mail.email_to or ", ".join(mail.recipient_ids.mapped("email"))
        print("  (expected) the SMTP sink refused %s: %s" % (address, mail.subject))
    for dsn in sorted(bounces.glob("*.eml")) if bounces.is_dir() else []:
        env["mail.thread"].sudo().message_process(False, dsn.read_text())
        dsn.unlink()
    env.cr.commit()


if not env["res.partner"].search_count([("ref", "=like", "DEMO-%")]):
    company.write(
        {
            "name": "Atelier Dupont SAS",
            "street": "12 rue de la République",
            "zip": "69002",
            "city": "Lyon",
            "country_id": env.ref("base.fr").id,
            "currency_id": env.ref("base.EUR").id,
            "email": "compta@atelier-dupont.example",
            "phone": "04 72 00 00 00",
            "vat": "FR40303265045",
            "company_registry": "30326504500021",  # the SIRET, as often typed: letters print the SIREN
            # the mentions of C. com. R123-237 and R123-238 (legal form, capital, RCS city)
            "relance_legal_form": "SAS",
            "relance_share_capital": 50000.0,
            "relance_rcs_city": "Lyon",
            "relance_consumer_mediator": "Médiateur de la consommation (exemple)",
            "relance_consumer_mediator_url": "https://mediateur.example",
            "logo": logo(),
        }
    )
    if not company.chart_template:
        env["account.chart.template"].try_loading("fr", company=company, install_demo=False)
    env["res.partner.bank"].create(
        {
            "partner_id": company.partner_id.id,
            "acc_number": "FR7630006000011234567890189",
        }
    )
    specialist = env["res.users"].create(
        {
            "name": "Claire Martin",
            "login": "claire",
            "password": "claire",
            "email": "claire.martin@atelier-dupont.example",
            "phone": "04 72 00 00 01",
            compat.USER_GROUPS: [Command.link(env.ref("account.group_account_invoice").id)],
        }
    )
    company.relance_specialist_id = specialist
    salesperson = env["res.users"].create(
        {
            "name": "Marc Lefèvre",
            "login": "marc",
            "password": "marc",
            "email": "marc.lefevre@atelier-dupont.example",
        }
    )
    cities = [
        ("69003", "Lyon"),
        ("75002", "Paris"),
        ("13001", "Marseille"),
        ("31000", "Toulouse"),
        ("33000", "Bordeaux"),
        ("44000", "Nantes"),
        ("67000", "Strasbourg"),
        ("59000", "Lille"),
    ]
    names = [
        ("Boulangerie Martin SARL", "good"),
        ("Garage du Centre SAS", "standard"),
        ("Menuiserie Roux", "standard"),
        ("Pharmacie des Halles", "good"),
        ("Transports Girard SA", "doubtful"),
        ("Imprimerie Moreau", "standard"),
        ("Hôtel Le Lyonnais", "good"),
        ("Cabinet Dentaire Faure", "standard"),
        ("Brasserie Saint-Jean", "doubtful"),
        ("Électricité Blanc SARL", "standard"),
        ("Fleuriste Rose & Lys", "good"),
        ("Plomberie Chevalier", "doubtful"),
        ("Librairie Mercier", "standard"),
        ("Traiteur Lambert", "standard"),
        ("Agence Immobilière Bonnet", "good"),
        ("Clinique Vétérinaire Fontaine", "standard"),
        ("Jean Dupuis", "standard"),
        ("Sophie Laurent", "good"),
        ("Mairie de Villeurbanne", "standard"),
        ("Bâtiment Rousseau SAS", "doubtful"),
    ]
    product_account = env["account.account"].search(
        [("company_ids", "in", company.ids), ("account_type", "=", "income")], limit=1
    )
    vat = env["account.tax"].search(
        [("company_id", "=", company.id), ("type_tax_use", "=", "sale"), ("amount", "=", 20.0)], limit=1
    )
    usd = env.ref("base.USD")
    usd.active = True
    env["res.currency.rate"].create(
        {"currency_id": usd.id, "name": today - timedelta(days=200), "rate": 1.08, "company_id": company.id}
    )
    invoices = []
    for i, (name, profile) in enumerate(names):
        is_company = name not in ("Jean Dupuis", "Sophie Laurent")
        zip_code, city = cities[i % len(cities)]
        partner = env["res.partner"].create(
            {
                "name": name,
                "ref": f"DEMO-{i:02d}",
                "is_company": is_company,
                "email": False if i in (5, 13) else f"compta{i}@client{i}.example",
                "street": f"{i + 3} avenue de la Gare" if i != 13 else False,
                "zip": zip_code,
                "city": city,
                "country_id": env.ref("base.fr").id,
                "vat": "FR23334175221" if is_company and i % 3 == 0 else False,
                "user_id": salesperson.id,
                "relance_channel": "phone" if i == 7 else False,  # False: the scenario's channel
                "relance_public_buyer": name.startswith("Mairie"),
            }
        )
        partner.relance_profile = profile
        for n in range(random.randint(1, 3)):
            due = today + timedelta(days=random.randint(-80, 12))
            invoices.append(
                post_invoice(partner, due, round(random.uniform(150, 4800), 2), f"Prestation {n + 1}")
            )
    # a customer invoiced in US dollars: claimed in dollars, in English (a foreign customer
    # that reads English)
    pacific = env["res.partner"].create(
        {
            "name": "Pacific Trading Inc",
            "ref": "DEMO-20",
            "is_company": True,
            "lang": "en_US",
            "email": "ap@pacific-trading.example",
            "street": "200 Market Street",
            "zip": "94105",
            "city": "San Francisco",
            "state_id": env.ref("base.state_us_5").id,
            "country_id": env.ref("base.us").id,
            "user_id": salesperson.id,
        }
    )
    post_invoice(pacific, today - timedelta(days=40), 2500.0, "Export order", currency=usd)
    # what the customers paid meanwhile, on their day: in full, in part, and a credit note
    start = today - timedelta(days=70)
    events = [
        (max(invoices[0].invoice_date_due + timedelta(days=20), start), invoices[0], None),
        (max(invoices[3].invoice_date_due + timedelta(days=12), start), invoices[3], 0.4),
        (max(invoices[8].invoice_date_due + timedelta(days=25), start), invoices[8], 0.5),
    ]
    with freeze_time(today - timedelta(days=30)):
        post_invoice(
            invoices[10].partner_id, today - timedelta(days=30), 200.0, "Avoir", move_type="out_refund"
        )
    env.cr.commit()

    # replay the daily run over the last ten weeks: a real history, every level reached
    Reminder = env["relance.reminder"].sudo()
    for back in range(70, 0, -1):
        day = today - timedelta(days=back)
        for when, invoice, share in events:
            if when == day and invoice.payment_state in ("not_paid", "partial"):
                pay(
                    invoice,
                    round(invoice.amount_residual * share, 2) if share else invoice.amount_residual,
                    day,
                )
        with freeze_time(day):
            while env["relance.run"].sudo()._cron_run():
                pass
            env.cr.commit()
            mail_queue()

    # a customer taken over today with a ledger 95 days late: the run starts it at the first reminder
    leroy = env["res.partner"].create(
        {
            "name": "Menuiserie Leroy SARL",
            "ref": "DEMO-21",
            "is_company": True,
            "email": "compta@menuiserie-leroy.example",
            "street": "8 rue des Artisans",
            "zip": "38000",
            "city": "Grenoble",
            "country_id": env.ref("base.fr").id,
            "vat": "FR23334175221",
            "user_id": salesperson.id,
        }
    )
    post_invoice(leroy, today - timedelta(days=95), 3120.0, "Agencement boutique")
    # what customers answered today: one promises to pay in a week, another agrees a payment plan
    overdue = env["account.move"].search(
        [
            ("move_type", "=", "out_invoice"),
            ("payment_state", "=", "not_paid"),
            ("invoice_date_due", "<", today),
            ("partner_id.ref", "=like", "DEMO-%"),
            ("partner_id.relance_public_buyer", "=", False),
            ("partner_id", "not in", (leroy | pacific).ids),
        ],
        order="invoice_date_due",
    )
    answering = overdue.partner_id[:2]
    if len(answering) == 2:
        promise = (
            env["relance.promise"]
            .with_user(specialist)
            .create(
                {
                    "partner_id": answering[0].id,
                    "date": today + timedelta(days=7),
                    "source": "phone",
                    "note": "Le gérant s'engage à régler par virement sous huit jours.",
                }
            )
        )
        plan = (
            env["relance.plan"]
            .with_user(specialist)
            .create(
                {
                    "partner_id": answering[1].id,
                    "installment_count": 3,
                    "frequency": "monthly",
                    "first_date": today + timedelta(days=5),
                }
            )
        )
        plan.action_confirm()
        print(
            "Answers today: %s promises to pay %s on %s; %s agreed a plan of %s in 3 monthly instalments"
            % (
                promise.partner_id.name,
                Reminder._fmt_amount(promise.amount, company.currency_id),
                Reminder._fmt_date(promise.date),
                plan.partner_id.name,
                Reminder._fmt_amount(plan.amount_total, company.currency_id),
            )
        )
    # the oldest formal notice waiting for validation is validated today: built on the day it leaves
    waiting = Reminder.search([("state", "=", "to_validate")], order="date, id", limit=1)
    if waiting:
        created = waiting.date
        # as on the screen: the letter built now is shown, then that letter leaves
        admin = env.ref("base.user_admin")
        shown = waiting.with_user(admin).action_validate()
        env[shown["res_model"]].with_user(admin).browse(shown["res_id"]).action_confirm()
        print(
            "Formal notice to %s created on %s, validated today: dated %s, final delay %s"
            % (
                waiting.partner_id.name,
                waiting._fmt_date(created),
                waiting._fmt_date(waiting.date),
                waiting._relance_values()["deadline"],
            )
        )
    env.cr.commit()

# today's run
Reminder = env["relance.reminder"].sudo()
todays = Reminder.search([("date", "=", today)])
while env["relance.run"].sudo()._cron_run():
    pass
env.cr.commit()
mail_queue()
todays = (
    Reminder.search([("date", "=", today)]) - todays if todays else Reminder.search([("date", "=", today)])
)

reminders = Reminder.search([("company_id", "=", company.id)])
print("\n=== relance_fr demo: %s ===" % company.name)
print(
    "Customers: %d, open customer invoices: %d"
    % (
        env["res.partner"].search_count([("ref", "=like", "DEMO-%")]),
        env["account.move"].search_count(
            [("move_type", "=", "out_invoice"), ("payment_state", "in", ("not_paid", "partial"))]
        ),
    )
)
print("\nReminders in history: %d" % len(reminders))
for (level, state, mail_state), count in sorted(
    Counter((r.level_id.name, r.state, r.mail_state or "") for r in reminders).items()
):
    print("  %-18s %-12s %-10s %3d" % (level, state, mail_state, count))


def rules(reminder):
    """Which rule of the product the message shows."""
    received = reminder._relance_received()
    said = (
        [f"after {received[-1].level_id.name} of {reminder._fmt_date(received[-1].date)}"]
        if received
        else ["first message: worded as one"]
    )
    if reminder.level_id.days > 0 and not received and reminder._relance_values()["max_days_late"] > 60:
        said.append("found very late, starts at the first reminder")
    others = reminder.invoice_ids - reminder.level_invoice_ids
    if reminder.level_invoice_ids and others:
        said.append(f"{len(others)} other overdue invoice(s) listed apart")
    if reminder.level_id.days <= 0:
        said.append("courtesy notice: invoices not yet due only")
    currencies = reminder.invoice_ids.currency_id
    if currencies != company.currency_id:
        said.append("claimed in " + ", ".join(currencies.mapped("name")))
    if reminder.partner_id.relance_public_buyer:
        said.append("public buyer: Code de la commande publique")
    return "; ".join(said)


print("\nToday's run (%s): %d reminder(s)" % (today, len(todays)))
for r in todays:
    print(
        "  %-30s %-15s %-24s %-9s %-8s %12s  %s%s"
        % (
            r.partner_id.name[:30],
            r.level_id.name,
            r.channel,
            r.state,
            r.mail_state or "",
            r._fmt_amount(r.amount_due),
            rules(r),
            f" [{r.error_message}]" if r.error_message else "",
        )
    )
lost = reminders.filtered(lambda r: r.mail_state in ("exception", "bounced"))
print("\nEmails refused or bounced: %d" % len(lost))
for r in lost:
    print(
        "  %-32s %-16s %s: %-9s now %-8s %s"
        % (
            r.partner_id.name[:32],
            r.level_id.name,
            r._fmt_date(r.date),
            "refused" if r.mail_state == "exception" else "bounced",
            r.state,
            "letter ready" if r.letter_attachment_id else r.error_message or "",
        )
    )
mails = Counter(env["mail.mail"].search([("relance_reminder_id", "!=", False)]).mapped("state"))
letters = reminders.filtered("letter_attachment_id")
print(
    "\nEmails sent to the SMTP server: %d, still queued: %d, refused: %d; bounced: %d; "
    "customers whose email bounced: %d"
    % (
        mails["sent"],
        mails["outgoing"],
        mails["exception"],
        len(reminders.filtered(lambda r: r.mail_state == "bounced")),
        env["res.partner"].search_count([("ref", "=like", "DEMO-%"), ("message_bounce", ">", 0)]),
    )
)
print(
    "Letters (PDF) printed: %d, waiting to be posted: %d; to call: %d; to validate: %d"
    % (
        len(letters),
        len(reminders.filtered(lambda r: r.state == "to_print")),
        len(reminders.filtered(lambda r: r.state == "to_call")),
        len(reminders.filtered(lambda r: r.state == "to_validate")),
    )
)
figures = env["relance.analysis"].with_company(company).retrieve_dashboard()
print(
    "DSO %s days (best possible %s), CEI %s %%, promises kept %s %%, open promises %s, "
    "under payment plan %s (%s), open disputes %s"
    % (
        figures["dso"],
        figures["best_dso"],
        figures["cei"],
        figures["promises_kept"],
        figures["promises_open"],
        figures["plans_active"],
        figures["under_plan"],
        figures["disputes_open"],
    )
)
print("\nEach customer's story: its stage (last level received) and the last message it received")
for partner in env["res.partner"].search([("ref", "=like", "DEMO-%")], order="name"):
    received = Reminder.search(
        Reminder._relance_previous_domain(partner, company), order="date desc, id desc", limit=1
    )
    print(
        "  %-32s %-16s %s"
        % (
            partner.name[:32],
            partner.relance_level_id.name or "-",
            received._relance_step_text() if received else "nothing received yet",
        )
    )
print("Menu: Invoicing > Customers > Payment Reminders")
# the customer's page of the first customer reminded today, on the demo server (SPEC §12)
shown = (todays or reminders)[:1].partner_id
if shown:
    page = shown._relance_portal_url()
    env.cr.commit()
    print("Customer page of %s (no login needed): %s" % (shown.name, page))
