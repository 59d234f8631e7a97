"""Payment plans day by day: the schedule sent (email and PDF), a notice before each
instalment, a reminder when one is late, broken past the break days (dunning resumes and the
next reminder says so), done when paid; the run leaves plan invoices to the plan; a call that
ends in a plan; bad input refused with nothing half-written; rights for every button."""

import re
import subprocess
import tempfile

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import RelanceCase, fr, text


def loose(message):
    """A pattern for a message with amounts, whatever spaces separate their digits."""
    return re.escape(message).replace("\\ ", r"\s")


@tagged("post_install", "-at_install")
class PlanCase(RelanceCase):
    def plan(self, partner, day, invoices=None, user=None, confirm=True, **vals):
        """A plan made (and confirmed) on ``day`` by the AR specialist."""
        with freeze_time(day):
            Plan = self.env["relance.plan"].with_user(user or self.specialist)
            plan = Plan.create(
                {
                    "partner_id": partner.id,
                    "invoice_ids": [(6, 0, invoices.ids)] if invoices else [],
                    "installment_count": 3,
                    "frequency": "monthly",
                    **vals,
                }
            )
            if confirm:
                plan.action_confirm()
        return plan

    def customer_emails(self, plan):
        return plan.message_ids.filtered(lambda m: m.message_type == "comment").sorted("id")

    def notes(self, record):
        return " ".join(text(m.body) for m in record.message_ids if m.message_type == "notification")


@tagged("post_install", "-at_install")
class TestPlan(PlanCase):
    def test_a_plan_kept_for_two_instalments_then_broken(self):
        partner = self.customer("Menuiserie Leroy SARL")
        inv = self.invoice(partner, 900.0, "2026-03-01")
        first = self.run_on("2026-03-09")
        self.assertEqual(first.level_id.name, "Premier rappel")
        self.send_mails()
        plan = self.plan(partner, "2026-03-10", first_date="2026-03-20")
        self.assertEqual(plan.invoice_ids, inv)
        self.assertEqual(plan.line_ids.mapped("amount"), [300.0, 300.0, 300.0])
        self.assertEqual(
            [str(d) for d in plan.line_ids.mapped("date")], ["2026-03-20", "2026-04-20", "2026-05-20"]
        )
        self.assertEqual(plan.state, "active")
        schedule = self.customer_emails(plan)
        self.assertEqual(schedule.subject, "Votre échéancier de paiement – Atelier Dupont SAS")
        self.assertEqual(schedule.partner_ids, partner)
        body = fr(text(schedule.body))
        for fact in (
            inv.name,
            fr("900,00 €"),
            fr("300,00 €"),
            "20/04/2026",
            "FR76 3000 6000 0112 3456 7890 189",
            "15 jours",
        ):
            self.assertIn(fact, body)
        self.assertIn("Payment plan agreed", self.notes(partner))

        def emails_since(count):
            return self.customer_emails(plan)[count:]

        # nothing from the run while the plan holds; a notice 5 days before each instalment
        self.assertFalse(self.run_on("2026-03-14"))
        self.assertFalse(emails_since(1))
        self.assertFalse(self.run_on("2026-03-15"))
        notice = emails_since(1)
        self.assertEqual(notice.subject, "Prochaine échéance de votre échéancier : 20/03/2026")
        self.assertIn(
            fr("1re échéance de l'échéancier convenu le 10/03/2026 arrive le 20/03/2026 : 300,00 €"),
            fr(text(notice.body)),
        )
        self.assertFalse(self.run_on("2026-03-16"))
        self.assertEqual(len(self.customer_emails(plan)), 2)  # once
        self.pay(inv, 300.0, "2026-03-19")
        self.assertFalse(self.run_on("2026-03-21"))
        self.assertEqual(plan.line_ids.mapped("state"), ["paid", "open", "open"])
        self.assertAlmostEqual(plan.amount_paid, 300.0)
        self.assertFalse(self.run_on("2026-04-15"))
        self.assertIn("20/04/2026", emails_since(2).subject)
        self.pay(inv, 300.0, "2026-04-20")
        self.assertFalse(self.run_on("2026-04-21"))
        self.assertEqual(plan.line_ids.mapped("state"), ["paid", "paid", "open"])
        self.assertFalse(self.run_on("2026-05-15"))
        self.assertEqual(len(self.customer_emails(plan)), 4)
        # the third instalment does not come: a reminder the day after, once
        self.assertFalse(self.run_on("2026-05-21"))
        self.assertEqual(plan.line_ids.mapped("state"), ["paid", "paid", "late"])
        late = emails_since(4)
        self.assertEqual(late.subject, "Échéance du 20/05/2026 non reçue – votre échéancier de paiement")
        late_body = fr(text(late.body))
        self.assertIn(fr("il reste 300,00 € à régler sur cette échéance"), late_body)
        self.assertIn("au plus tard le 04/06/2026", late_body)
        self.assertFalse(self.run_on("2026-05-22"))
        self.assertFalse(self.run_on("2026-06-04"))  # 15 days late: still within the break days
        self.assertEqual((plan.state, len(self.customer_emails(plan))), ("active", 5))
        # 16 days: broken, the AR specialist is told, dunning resumes at the next level
        reminder = self.run_on("2026-06-05")
        self.assertEqual((plan.state, str(plan.date_closed)), ("broken", "2026-06-05"))
        self.assertEqual(plan.activity_ids.user_id, self.specialist)
        self.assertIn("Payment plan not followed", plan.activity_ids.summary)
        self.assertIn("not followed", self.notes(partner))
        self.assertEqual((reminder.level_id.name, reminder.invoice_ids), ("Relance 1", inv))
        recall = fr(
            "Le 10/03/2026, nous étions convenus avec vous d'un échéancier de paiement. L'échéance du "
            "20/05/2026 (300,00 €) ne nous est pas parvenue"
        )
        self.assertIn(recall, fr(text(self.emails(reminder).body)))
        letter = self.env["ir.actions.report"]._render_qweb_html(
            "relance_fr.action_report_relance_letter", reminder.ids
        )[0]
        self.assertIn(
            fr("L'échéance du 20/05/2026 (300,00 €) ne nous est pas parvenue"), fr(text(letter.decode()))
        )
        self.assertEqual(len(self.customer_emails(plan)), 5)  # the plan says nothing more
        self.send_mails()
        # recalled once; a payment after the break still stops the dunning
        self.pay(inv, 300.0, "2026-06-10")
        self.assertFalse(self.run_on("2026-06-20"))
        self.assertEqual(plan.state, "broken")

    def test_a_plan_done_when_paid(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 500.0, "2026-03-01")
        plan = self.plan(
            partner, "2026-03-10", first_date="2026-03-13", frequency="weekly", installment_count=2
        )
        self.assertEqual([str(d) for d in plan.line_ids.mapped("date")], ["2026-03-13", "2026-03-20"])
        self.pay(inv, 250.0, "2026-03-13")
        self.assertFalse(self.run_on("2026-03-14"))
        self.pay(inv, 250.0, "2026-03-19")
        self.assertFalse(self.run_on("2026-03-20"))
        self.assertEqual((plan.state, str(plan.date_closed)), ("done", "2026-03-20"))
        self.assertEqual(plan.line_ids.mapped("state"), ["paid", "paid"])
        self.assertIn("done: the invoices are paid", self.notes(partner))
        self.assertFalse(self.run_on("2026-04-20"))

    def test_the_run_leaves_plan_invoices_to_the_plan_and_goes_on_for_the_others(self):
        partner = self.customer("Menuiserie Leroy SARL")
        planned = self.invoice(partner, 1000.0, "2026-03-01")
        other = self.invoice(partner, 400.0, "2026-03-01")
        self.plan(partner, "2026-03-05", planned, first_date="2026-03-25")
        reminder = self.run_on("2026-03-09")
        self.assertEqual(reminder.invoice_ids, other)
        self.assertNotIn(planned.name, text(self.emails(reminder).body))
        self.assertFalse(planned.relance_level_id)
        with freeze_time("2026-03-10"):
            wizard = self.env["relance.reminder.send"].browse(partner.action_relance_send()["res_id"])
        self.assertIn("under the payment plan", wizard.info or "")

    def test_the_schedule_reaches_the_customer_with_its_pdf(self):
        partner = self.customer("Menuiserie Roux SAS", email="compta@roux.fr")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        with freeze_time("2026-03-10"):
            plan = (
                self.env["relance.plan"]
                .with_user(self.specialist)
                .create({"partner_id": partner.id, "installment_count": 3, "first_date": "2026-03-31"})
            )
            self.assertEqual(plan.line_ids.mapped("amount"), [333.33, 333.33, 333.34])
            plan.with_context(force_report_rendering=True).action_confirm()
        sink = self.send_mails()
        received = sink.to("compta@roux.fr")
        self.assertEqual(len(received), 1)
        self.assertEqual(received[0].subject, "Votre échéancier de paiement – Atelier Dupont SAS")
        self.assertIn("claire.martin@atelier-dupont.fr", received[0].message["From"])
        [(filename, mimetype, pdf)] = received[0].attachments()
        self.assertEqual((filename, mimetype), ("Échéancier - Menuiserie Roux SAS.pdf", "application/pdf"))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            content = subprocess.run(
                ["pdftotext", "-layout", file.name, "-"], capture_output=True, check=True, text=True
            ).stdout
        content = fr(content)
        for fact in (
            "Échéancier de paiement",
            "Lyon, le 10 mars 2026",
            "Menuiserie Roux SAS",
            inv.name,
            fr("1 000,00 €"),
            "31/03/2026",
            "30/04/2026",
            "31/05/2026",
            fr("333,34 €"),
            "FR76 3000 6000 0112 3456 7890 189",
            "l'échéancier prendrait fin",
        ):
            self.assertIn(fact, content)

    def test_a_call_that_ends_in_a_plan(self):
        partner = self.customer("Menuiserie Leroy SARL", relance_channel="phone", phone="04 78 00 00 10")
        inv = self.invoice(partner, 1200.0, "2026-03-31")
        reminder = self.run_on("2026-04-08")
        self.assertEqual(reminder.state, "to_call")

        def log(**vals):
            with freeze_time("2026-04-09"):
                action = reminder.with_user(self.specialist).action_log_call()
                wizard = self.env["relance.call.wizard"].with_user(self.specialist).browse(action["res_id"])
                wizard.write({"result_id": self.env.ref("relance_fr.call_result_plan").id, **vals})
                return wizard.action_confirm()

        with self.assertRaisesRegex(UserError, "not 08/04/2026"):
            log(plan_first_date="2026-04-08")
        with self.assertRaisesRegex(UserError, "at least one instalment"):
            log(plan_first_date="2026-04-30", plan_installment_count=0)
        self.assertFalse(self.env["relance.plan"].search([("partner_id", "=", partner.id)]))
        self.assertEqual(reminder.state, "to_call")  # refused: nothing half-written
        action = log(plan_first_date="2026-04-30", plan_installment_count=4, note="Paiera en 4 fois")
        plan = self.env["relance.plan"].search([("partner_id", "=", partner.id)])
        self.assertEqual((action["res_model"], action["res_id"]), ("relance.plan", plan.id))
        self.assertEqual((plan.state, plan.invoice_ids, len(plan.line_ids)), ("draft", inv, 4))
        self.assertEqual(plan.line_ids.mapped("amount"), [300.0] * 4)
        self.assertIn("Confirm the payment plan", plan.activity_ids.summary)
        self.assertEqual(reminder.state, "sent")
        call = self.env["relance.call"].search([("partner_id", "=", partner.id)])
        self.assertEqual((call.plan_id, call.note), (plan, "Paiera en 4 fois"))  # the call's history
        with freeze_time("2026-04-09"):
            plan.with_user(self.specialist).action_confirm()
        self.assertEqual(plan.state, "active")
        self.assertFalse(plan.activity_ids)

    def test_the_daily_check_sends_once_even_if_run_twice(self):
        partner = self.customer("Garage Petit SARL")
        self.invoice(partner, 600.0, "2026-03-01")
        plan = self.plan(partner, "2026-03-10", first_date="2026-03-20")
        Plan = self.env["relance.plan"].sudo()
        with freeze_time("2026-03-16"):
            self.assertEqual(Plan._relance_check_plans(plan.line_ids[0].date.replace(day=16)), plan)
            self.assertFalse(Plan._relance_check_plans(plan.line_ids[0].date.replace(day=16)))
        self.assertEqual(len(self.customer_emails(plan)), 2)  # the schedule and one notice

    def test_plan_customers_cost_the_run_no_query_each(self):
        """The run reads the plans of a batch in one search: 3 or 6 customers under plan take
        the same number of queries."""
        counts = []
        self.run_on("2026-03-09")  # caches warm
        for size, day in ((3, "2026-03-10"), (6, "2026-03-11")):
            for i in range(size):
                partner = self.customer(f"Client échéancier {size}-{i}")
                self.invoice(partner, 100.0 + i, "2026-03-01")
                self.plan(partner, "2026-03-05", first_date="2026-04-25", installment_count=2)
            self.env.flush_all()
            self.env.invalidate_all()
            Plan = self.env["relance.plan"].sudo()
            Plan.search([("state", "=", "active")]).date_checked = day  # the plans' own check aside
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            self.assertFalse(self.run_on(day))
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])


@tagged("post_install", "-at_install")
class TestPlanBadInput(PlanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.customer("Garage Petit SARL")
        cls.inv = cls.invoice(cls.partner, 900.0, "2026-03-01")

    def assert_refused(self, plan, message, day="2026-03-10"):
        with self.assertRaisesRegex(UserError, message), freeze_time(day):
            plan.with_user(self.specialist).action_confirm()
        self.assertEqual(plan.state, "draft")
        self.assertFalse(plan.message_ids.filtered(lambda m: m.message_type == "comment"))

    def test_lines_not_adding_up(self):
        plan = self.plan(self.partner, "2026-03-10", confirm=False, first_date="2026-03-20")
        plan.line_ids[1].amount = 250.0
        self.assert_refused(plan, loose("add up to 850,00 €, not the 900,00 € asked"))
        plan.line_ids[2].amount = 0.0
        self.assert_refused(plan, "positive amount")

    def test_an_invoice_already_paid(self):
        plan = self.plan(self.partner, "2026-03-10", confirm=False, first_date="2026-03-20")
        self.pay(self.inv, day="2026-03-11")
        self.assert_refused(plan, "paid or cancelled", day="2026-03-12")
        self.assertFalse(self.run_on("2026-03-13"))
        with self.assertRaisesRegex(UserError, "no open invoice"):
            self.plan(self.partner, "2026-03-13", confirm=False, first_date="2026-03-20")

    def test_a_part_paid_since_the_plan_was_made(self):
        plan = self.plan(self.partner, "2026-03-10", confirm=False, first_date="2026-03-20")
        self.pay(self.inv, 100.0, "2026-03-11")
        self.assert_refused(plan, loose("now owe 800,00 €, less than the 900,00 €"), day="2026-03-12")

    def test_a_date_in_the_past(self):
        plan = self.plan(self.partner, "2026-03-10", confirm=False, first_date="2026-03-20")
        self.assert_refused(plan, "dated before today", day="2026-03-21")

    def test_zero_or_negative_count(self):
        count = self.env["relance.plan"].search_count([])
        for bad in (0, -2):
            with self.assertRaisesRegex(ValidationError, "at least one instalment"):
                self.plan(
                    self.partner, "2026-03-10", confirm=False, first_date="2026-03-20", installment_count=bad
                )
        self.assertEqual(self.env["relance.plan"].search_count([]), count)
        plan = self.plan(self.partner, "2026-03-10", confirm=False)
        with self.assertRaisesRegex(UserError, "date of the first instalment"):
            plan.action_compute_lines()
        with self.assertRaisesRegex(ValidationError, "at least one instalment"):
            plan.installment_count = 0

    def test_an_invoice_already_in_an_active_plan(self):
        self.plan(self.partner, "2026-03-10", first_date="2026-03-20")
        with self.assertRaisesRegex(UserError, "already paid through"):
            self.plan(self.partner, "2026-03-10", confirm=False, first_date="2026-03-25", invoices=self.inv)

    def test_agreed_instalments_stay_as_sent(self):
        plan = self.plan(self.partner, "2026-03-10", first_date="2026-03-20")
        with self.assertRaisesRegex(UserError, "are agreed"):
            plan.line_ids[0].with_user(self.specialist).amount = 100.0
        with self.assertRaisesRegex(UserError, "only while it is a draft"):
            plan.with_user(self.specialist).amount_total = 100.0
        with self.assertRaisesRegex(UserError, "no longer a draft"):
            plan.with_user(self.specialist).action_compute_lines()


@tagged("post_install", "-at_install")
class TestPlanRights(PlanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.billing = new_test_user(
            cls.env, "plan.billing", groups="account.group_account_invoice", **company
        )
        cls.manager = new_test_user(
            cls.env, "plan.manager", groups="account.group_account_manager", **company
        )
        cls.auditor = new_test_user(
            cls.env, "plan.auditor", groups="account.group_account_readonly", **company
        )
        cls.portal = new_test_user(cls.env, "plan.portal", groups="base.group_portal")
        cls.partner = cls.customer("Client Droits")
        cls.inv = cls.invoice(cls.partner, 600.0, "2026-03-01")

    def test_billing_user_creates_and_confirms_but_does_not_cancel(self):
        action = self.partner.with_user(self.billing).action_relance_plan()
        self.assertEqual(
            (action["res_model"], action["context"]["default_partner_id"]), ("relance.plan", self.partner.id)
        )
        plan = self.plan(
            self.partner, "2026-03-10", user=self.billing, confirm=False, first_date="2026-03-20"
        )
        with freeze_time("2026-03-10"):
            plan.with_user(self.billing).action_compute_lines()
            plan.with_user(self.billing).action_confirm()
        self.assertEqual(plan.state, "active")
        # ending it is an accounting manager's decision: asked of the validator, the plan goes on
        self.company.relance_validator_id = self.manager
        answer = plan.with_user(self.billing).action_cancel()
        self.assertIn(f"asked of {self.manager.name}", answer["params"]["message"])
        self.assertEqual(plan.state, "active")
        asked = plan.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertEqual(asked.summary, "Cancel the payment plan?")
        plan.with_user(self.billing).action_cancel()  # asked once
        self.assertEqual(len(plan.activity_ids.filtered(lambda a: a.user_id == self.manager)), 1)
        with self.assertRaises(AccessError):
            plan.with_user(self.billing).unlink()
        self.assertFalse(self.run_on("2026-03-11"))  # the invoice is left to the plan

    def test_billing_user_cancels_a_draft(self):
        plan = self.plan(
            self.partner, "2026-03-10", user=self.billing, confirm=False, first_date="2026-03-20"
        )
        plan.with_user(self.billing).action_cancel()
        self.assertEqual(plan.state, "cancel")

    def test_manager_cancels_and_dunning_resumes(self):
        plan = self.plan(self.partner, "2026-03-05", first_date="2026-03-20")
        self.assertFalse(self.run_on("2026-03-09"))
        plan.with_user(self.manager).action_cancel()
        self.assertEqual(plan.state, "cancel")
        self.assertIn("cancelled: dunning of its invoices resumes", self.notes(self.partner))
        reminder = self.run_on("2026-03-10")
        self.assertEqual(reminder.invoice_ids, self.inv)
        self.assertNotIn("échéancier", text(self.emails(reminder).body))  # cancelled, not broken
        with self.assertRaisesRegex(UserError, "already closed"):
            plan.with_user(self.manager).action_cancel()

    def test_the_reminder_button(self):
        reminder = self.run_on("2026-03-09")
        action = reminder.with_user(self.billing).action_relance_plan()
        self.assertEqual(action["context"]["default_invoice_ids"], [(6, 0, self.inv.ids)])
        with self.assertRaises(AccessError):
            reminder.with_user(self.portal).action_relance_plan()

    def test_auditor_reads_only(self):
        plan = self.plan(self.partner, "2026-03-10", confirm=False, first_date="2026-03-20")
        as_auditor = plan.with_user(self.auditor)
        self.assertEqual(as_auditor.line_ids.mapped("amount"), [200.0] * 3)
        for button in ("action_compute_lines", "action_confirm", "action_cancel"):
            with self.assertRaises(AccessError), freeze_time("2026-03-10"):
                getattr(as_auditor, button)()
        self.assertEqual(plan.state, "draft")
        with freeze_time("2026-03-10"):
            plan.action_confirm()
        with self.assertRaisesRegex(UserError, "Only an accounting manager"):
            as_auditor.action_cancel()
        with self.assertRaises(AccessError):
            self.plan(self.partner, "2026-03-10", user=self.auditor, confirm=False, first_date="2026-03-20")
        with self.assertRaises(AccessError):
            as_auditor.note = "x"
        self.assertEqual(plan.state, "active")

    def test_portal_sees_nothing(self):
        plan = self.plan(self.partner, "2026-03-10", first_date="2026-03-20")
        with self.assertRaises(AccessError):
            plan.with_user(self.portal).read(["state"])
        with self.assertRaises(AccessError):
            plan.line_ids.with_user(self.portal).read(["amount"])
        with self.assertRaises(AccessError):
            self.env["relance.plan"].with_user(self.portal).create({"partner_id": self.partner.id})

    def test_each_company_its_own(self):
        plan = self.plan(self.partner, "2026-03-10", first_date="2026-03-20")
        other = self.setup_other_company()["company"]
        stranger = new_test_user(
            self.env,
            "plan.other",
            groups="account.group_account_manager",
            company_id=other.id,
            company_ids=other.ids,
        )
        self.assertFalse(self.env["relance.plan"].with_user(stranger).search([("id", "=", plan.id)]))
        self.assertFalse(
            self.env["relance.plan.line"].with_user(stranger).search([("plan_id", "=", plan.id)])
        )
        with self.assertRaises(AccessError):
            plan.with_user(stranger).read(["state"])
