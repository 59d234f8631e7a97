"""Rights per group on every model and button of the module (SPEC §7)."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import RelanceCase

MODELS = ("relance.policy", "relance.level", "relance.reminder", "relance.rate")


@tagged("post_install", "-at_install")
class TestSecurity(RelanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.billing = new_test_user(cls.env, "sec.billing", groups="account.group_account_invoice", **company)
        cls.manager = new_test_user(cls.env, "sec.manager", groups="account.group_account_manager", **company)
        cls.auditor = new_test_user(
            cls.env, "sec.auditor", groups="account.group_account_readonly", **company
        )
        cls.portal = new_test_user(cls.env, "sec.portal", groups="base.group_portal")
        cls.partner = cls.customer("Client Droits")
        cls.inv = cls.invoice(cls.partner, 500.0, "2026-03-31")

    def reminder_at(self, day):
        return self.run_on(day).filtered(lambda r: r.partner_id == self.partner)

    def test_portal_user_sees_nothing_of_the_dunning(self):
        for model in MODELS:
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.portal).search([])
        with self.assertRaises(AccessError):
            self.inv.with_user(self.portal).read(["relance_level_id"])

    def test_auditor_reads_only(self):
        reminder = self.reminder_at("2026-04-08")
        self.assertEqual(reminder.with_user(self.auditor).level_id.name, "Premier rappel")
        with self.assertRaises(AccessError):
            reminder.with_user(self.auditor).write({"tracking_number": "X"})
        with self.assertRaises(AccessError):
            self.policies["standard"].with_user(self.auditor).write({"min_gap_days": 1})

    def test_billing_user_sends_reminders_but_does_not_edit_scenarios(self):
        with freeze_time("2026-04-08"):
            action = self.inv.with_user(self.billing).action_relance_send()
            wizard = self.env["relance.reminder.send"].with_user(self.billing).browse(action["res_id"])
            wizard.action_send()
        reminder = self.inv.relance_reminder_ids
        self.assertEqual(reminder.state, "to_send")  # its email in Odoo's mail queue
        for model in ("relance.policy", "relance.level", "relance.rate"):
            record = self.env[model].with_user(self.billing).search([], limit=1)
            self.assertTrue(record)
            with self.assertRaises(AccessError, msg=model):
                record.unlink()
        with self.assertRaises(AccessError):
            reminder.with_user(self.billing).unlink()

    def test_billing_user_runs_a_suspending_level(self):
        self.policies["standard"].skip_levels = True  # the level due at once
        with freeze_time("2026-05-15"):
            action = self.partner.with_user(self.billing).action_relance_send()
            wizard = self.env["relance.reminder.send"].with_user(self.billing).browse(action["res_id"])
            self.assertEqual(wizard.level_id.name, "Relance 3")
            wizard.action_send()
        self.assertEqual(wizard.reminder_id.state, "to_print", wizard.reminder_id.error_message)
        self.assertTrue(self.partner.relance_suspended)

    def test_only_a_manager_validates_or_cancels_a_formal_notice(self):
        self.policies["standard"].skip_levels = True  # the level due at once
        notice = self.reminder_at("2026-05-30")
        self.assertEqual(notice.state, "to_validate")
        for action in ("action_validate", "action_cancel"):
            with self.assertRaises(UserError):
                getattr(notice.with_user(self.billing), action)()
        notice.with_user(self.manager).action_cancel()
        self.assertEqual(notice.state, "cancel")

    def test_letters_printed_and_marked_by_a_billing_user(self):
        self.policies["standard"].skip_levels = True  # the level due at once
        reminder = self.reminder_at("2026-04-30")  # Relance 2: registered letter and email
        self.assertEqual(reminder.state, "to_print")
        action = reminder.with_user(self.billing).action_print_letters()
        self.assertEqual(action["report_name"], "relance_fr.report_relance_letter")
        with self.assertRaisesRegex(UserError, "tracking number"):
            reminder.with_user(self.billing).action_mark_sent()
        reminder.with_user(self.billing).tracking_number = "1A 123 456 7890 1"
        reminder.with_user(self.billing).action_mark_sent()
        self.assertEqual(reminder.state, "to_send")  # posted; its email still in the mail queue
        self.send_mails()
        self.assertEqual(reminder.state, "sent")

    def test_other_company_sees_none_of_our_dunning(self):
        reminder = self.reminder_at("2026-04-08")
        other = self.setup_other_company(name="Société Sœur")["company"]
        stranger = new_test_user(
            self.env,
            "sec.other",
            groups="account.group_account_manager",
            company_id=other.id,
            company_ids=other.ids,
        )
        self.assertFalse(self.env["relance.reminder"].with_user(stranger).search([("id", "=", reminder.id)]))
        with self.assertRaises(AccessError):
            reminder.with_user(stranger).read(["state"])
        with self.assertRaises(AccessError):
            self.policies["standard"].level_ids[0].with_user(stranger).read(["days"])
        policies = self.env["relance.policy"].with_user(stranger).search([])
        self.assertEqual(policies.company_id, other)
