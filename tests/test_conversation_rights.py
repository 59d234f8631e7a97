"""Rights on promises, disputes and calls (SPEC §7): billing users record and log, accounting
managers settle disputes, auditors read, each company its own, portal users nothing."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import RelanceCase

MODELS = ("relance.promise", "relance.dispute", "relance.call.result", "relance.call.wizard")


@tagged("post_install", "-at_install")
class TestConversationRights(RelanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.billing = new_test_user(
            cls.env, "conv.billing", groups="account.group_account_invoice", **company
        )
        cls.manager = new_test_user(
            cls.env, "conv.manager", groups="account.group_account_manager", **company
        )
        cls.auditor = new_test_user(
            cls.env, "conv.auditor", groups="account.group_account_readonly", **company
        )
        cls.portal = new_test_user(cls.env, "conv.portal", groups="base.group_portal")
        cls.partner = cls.customer("Client Droits")
        cls.inv = cls.invoice(cls.partner, 500.0, "2026-03-01")

    def promise(self, user):
        with freeze_time("2026-03-10"):
            return (
                self.env["relance.promise"]
                .with_user(user)
                .create({"partner_id": self.partner.id, "date": "2026-03-20"})
            )

    def dispute(self, user):
        return (
            self.env["relance.dispute"].with_user(user).create({"invoice_id": self.inv.id, "reason": "price"})
        )

    def test_billing_user_records_promises_disputes_and_calls_but_does_not_settle(self):
        promise = self.promise(self.billing)
        self.assertEqual(promise.state, "open")
        promise.action_cancel()
        dispute = self.dispute(self.billing)
        self.assertTrue(self.inv.relance_excluded)
        with self.assertRaisesRegex(UserError, "Only an accounting manager"):
            dispute.action_accept()
        with self.assertRaises(AccessError):
            dispute.unlink()
        with self.assertRaises(AccessError):
            promise.unlink()
        with self.assertRaises(AccessError):
            self.env.ref("relance_fr.call_result_promise").with_user(self.billing).write({"name": "X"})
        with freeze_time("2026-03-10"):
            action = self.partner.with_user(self.billing).action_relance_log_call()
            wizard = self.env["relance.call.wizard"].with_user(self.billing).browse(action["res_id"])
            wizard.result_id = self.env.ref("relance_fr.call_result_call_back")
            wizard.action_confirm()
        self.assertEqual(self.partner.relance_last_call_result_id.name, "Will call back")

    def test_manager_settles_disputes(self):
        dispute = self.dispute(self.billing).with_user(self.manager)
        dispute.action_accept()
        self.assertEqual(dispute.state, "accepted")
        self.env.ref("relance_fr.call_result_promise").with_user(self.manager).write({"sequence": 5})

    def test_auditor_reads_only(self):
        promise = self.promise(self.billing)
        dispute = self.dispute(self.billing)
        self.assertEqual(promise.with_user(self.auditor).state, "open")
        self.assertEqual(dispute.with_user(self.auditor).reason, "price")
        with self.assertRaises(AccessError):
            self.promise(self.auditor)
        with self.assertRaises(AccessError):
            dispute.with_user(self.auditor).write({"description": "x"})

    def test_portal_user_sees_nothing(self):
        self.promise(self.billing)
        for model in MODELS:
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.portal).search([])

    def test_each_company_its_own(self):
        promise = self.promise(self.billing)
        dispute = self.dispute(self.billing)
        other = self.setup_other_company(name="Société Sœur")["company"]
        stranger = new_test_user(
            self.env,
            "conv.other",
            groups="account.group_account_manager",
            company_id=other.id,
            company_ids=other.ids,
        )
        for record in (promise, dispute):
            self.assertFalse(self.env[record._name].with_user(stranger).search([]))
            with self.assertRaises(AccessError):
                record.with_user(stranger).read(["state"])
