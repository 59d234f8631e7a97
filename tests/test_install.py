from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import RelanceCase


@tagged("post_install", "-at_install")
class TestInstall(RelanceCase):
    def test_default_policies_follow_the_spec(self):
        expected = {
            "standard": [-8, 8, 15, 30, 45, 60],
            "good": [-8, 10, 20, 35, 50, 65],
            "doubtful": [-8, 7, 14, 21, 28, 35],
        }
        for profile, days in expected.items():
            policy = self.policies[profile]
            self.assertEqual(policy.level_ids.mapped("days"), days, profile)
            self.assertEqual(policy.min_gap_days, 7)
            self.assertEqual(
                policy.level_ids.mapped("name"),
                ["Prévenance", "Premier rappel", "Relance 1", "Relance 2", "Relance 3", "Mise en demeure"],
            )
        levels = self.policies["standard"].level_ids
        self.assertEqual(
            levels.mapped("channel"),
            [
                "email",
                "email",
                "email_letter",
                "registered_letter_email",
                "registered_letter_email",
                "registered_letter",
            ],
        )
        self.assertEqual(levels.mapped("needs_validation"), [False] * 5 + [True])
        self.assertEqual(levels.mapped("suspend_partner"), [False] * 4 + [True, False])
        self.assertEqual(levels.mapped("apply_penalties"), [False, False, True, True, True, True])
        self.assertEqual(levels.mapped("notify_salesperson"), [False, False, False, True, True, True])
        self.assertEqual(
            levels.mapped("mail_template_id"),
            self.env.ref("relance_fr.mail_template_pre_due")
            | self.env.ref("relance_fr.mail_template_reminder")
            | self.env.ref("relance_fr.mail_template_relance_1")
            | self.env.ref("relance_fr.mail_template_relance_2")
            | self.env.ref("relance_fr.mail_template_relance_3")
            | self.env.ref("relance_fr.mail_template_formal_notice"),
        )

    def test_main_company_policies_have_xml_ids(self):
        main = self.env.ref("base.main_company")
        for profile in ("good", "standard", "doubtful"):
            policy = self.env.ref(f"relance_fr.relance_policy_{profile}").sudo()
            self.assertEqual((policy.company_id, policy.profile), (main, profile))

    def test_new_company_gets_its_own_policies(self):
        company = self.env["res.company"].create({"name": "Filiale Nord"})
        policies = self.env["relance.policy"].search([("company_id", "=", company.id)])
        self.assertEqual(sorted(policies.mapped("profile")), ["doubtful", "good", "standard"])
        self.assertEqual(len(policies.level_ids), 18)

    def test_french_is_active(self):
        self.assertTrue(self.env["res.lang"]._lang_get("fr_FR").active)

    def test_two_levels_cannot_share_a_day(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["relance.level"].create(
                {
                    "policy_id": self.policies["standard"].id,
                    "name": "Doublon",
                    "days": 15,
                    "sequence": 35,
                }
            )

    def test_days_must_follow_the_order(self):
        with self.assertRaises(ValidationError):
            self.env["relance.level"].create(
                {
                    "policy_id": self.policies["standard"].id,
                    "name": "Tard",
                    "days": 100,
                    "sequence": 5,
                }
            )

    def test_one_active_policy_per_profile(self):
        with self.assertRaises(ValidationError):
            self.env["relance.policy"].create(
                {
                    "name": "Autre",
                    "company_id": self.company.id,
                    "profile": "standard",
                }
            )

    def test_profile_is_the_degree_of_trust(self):
        partner = self.customer("Client Confiance")
        partner = partner.with_company(self.company)
        self.assertEqual(partner.relance_profile, "standard")
        self.assertEqual(partner.trust, "normal")
        partner.relance_profile = "doubtful"
        self.assertEqual(partner.trust, "bad")
        partner.trust = "good"
        self.assertEqual(partner.relance_profile, "good")
        found = (
            self.env["res.partner"]
            .with_company(self.company)
            .search([("relance_profile", "=", "good"), ("id", "=", partner.id)])
        )
        self.assertEqual(found, partner)

    def test_next_date_and_overdue_amount(self):
        partner = self.customer()
        inv = self.invoice(partner, 1000.0, "2026-03-31")
        self.assertEqual(str(inv.relance_next_date), "2026-03-23")  # Prévenance, J-8
        with self.env.cr.savepoint():
            partner.with_company(self.company).relance_profile = "good"
            self.env.flush_all()
            self.assertEqual(str(inv.relance_next_date), "2026-03-23")
        from odoo.tests import freeze_time

        with freeze_time("2026-04-20"):
            partner.invalidate_recordset(["relance_amount_overdue"])
            self.assertEqual(partner.with_company(self.company).relance_amount_overdue, 1000.0)
            overdue = (
                self.env["res.partner"]
                .with_company(self.company)
                .search([("relance_amount_overdue", ">", 0), ("id", "=", partner.id)])
            )
            self.assertEqual(overdue, partner)

    def test_billing_user_reads_policies_but_cannot_edit(self):
        billing = new_test_user(
            self.env, "billing.user", groups="account.group_account_invoice", company_id=self.company.id
        )
        policy = self.policies["standard"].with_user(billing)
        self.assertEqual(policy.name, "Standard")
        with self.assertRaises(AccessError):
            policy.min_gap_days = 3
        with self.assertRaises(AccessError):
            policy.level_ids[0].days = -5

    def test_manager_edits_policies(self):
        manager = new_test_user(
            self.env, "acc.manager", groups="account.group_account_manager", company_id=self.company.id
        )
        policy = self.policies["standard"].with_user(manager)
        policy.min_gap_days = 5
        self.assertEqual(policy.min_gap_days, 5)

    def test_portal_user_sees_nothing(self):
        portal = new_test_user(self.env, "portal.user", groups="base.group_portal")
        for model in ("relance.policy", "relance.level", "relance.reminder", "relance.rate"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(portal).search([])

    def test_other_company_records_are_invisible(self):
        other = self.setup_other_company(name="Autre Société")["company"]
        user = new_test_user(
            self.env, "other.user", groups="account.group_account_manager", company_id=other.id
        )
        visible = self.env["relance.policy"].with_user(user).search([])
        self.assertTrue(visible)
        self.assertEqual(visible.company_id, other)
        with self.assertRaises(AccessError):
            self.policies["standard"].with_user(user).read(["name"])
