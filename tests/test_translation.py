"""The French translation: every term of relance_fr in i18n/fr.po, the .pot in step with the code.

The terms are extracted from the code and the data the way Odoo's export does
(`--i18n-export --modules=relance_fr`). When a label changes: re-export the .pot, translate the new
terms in fr.po, drop the old ones (scripts/i18n.py). Odoo 18.0's export is the reference: on it the
.pot and fr.po hold exactly its terms, at least at its places, plus the few terms only 19.0
extracts (marked "Odoo 19.0 only"); on 19.0 every term it extracts is there, at its places, and
translated, and each term marked "Odoo 19.0 only" is one it extracts.
"""

import re

import polib

from odoo.addons.relance_fr import compat
from odoo.addons.relance_fr.tools import relance_lang
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader

MODULE = "relance_fr"
ONLY_19 = "Odoo 19.0 only"
# what a translation must keep as is: named and positional placeholders, inline QWeb
# expressions ({{ ... }} in mail subjects) and HTML tags with their attributes
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}|</?[a-zA-Z][^>]*>")
PERCENT = re.compile(r"%\(\w+\)[sd]|%[sd]")
QWEB_ATTRIBUTE = re.compile(r'\bt-[\w-]+="([^"]*)"')  # the expression of a QWeb directive


def _occurrences(entry):
    return {name for name, _line in entry.occurrences}


def _listing(title, items):
    return f"{title} ({len(items)}):\n" + "\n".join(f"  {item}" for item in items)


@tagged("post_install", "-at_install")
class TestTranslation(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.code_terms = cls._code_terms()
        cls.po = polib.pofile(file_path(f"{MODULE}/i18n/fr.po"))
        cls.pot = polib.pofile(file_path(f"{MODULE}/i18n/{MODULE}.pot"))

    @classmethod
    def _code_terms(cls):
        """{msgid: {occurrence}} of relance_fr, as `odoo-bin --i18n-export` extracts them today."""
        terms = {}
        reader = TranslationModuleReader(cls.env.cr, modules=[MODULE], lang="fr_FR")
        for module, ttype, name, res_id, source, _value, _comments in reader:
            if module != MODULE:
                continue
            # the occurrence as Odoo's PoFileWriter writes it ("#: code:path" or "#: model:name:xmlid")
            occurrence = f"code:{name}" if ttype == "code" else f"{ttype}:{name}:{res_id}"
            terms.setdefault(source, set()).add(occurrence)
        return terms

    def _out_of_step(self, pofile, label):
        """What keeps the entries of `pofile` from being the code's terms, at their places (and,
        for a term both versions use, the places only the other version uses)."""
        entries = {entry.msgid: entry for entry in pofile if not entry.obsolete}
        only_19 = {msgid for msgid, entry in entries.items() if entry.tcomment == ONLY_19}
        if compat.V19:
            stale = sorted(repr(msgid) for msgid in only_19 - self.code_terms.keys())
        else:
            stale = sorted(repr(msgid) for msgid in entries.keys() - only_19 - self.code_terms.keys())
        stale += [repr(entry.msgid) + " (obsolete #~ entry)" for entry in pofile.obsolete_entries()]
        moved = sorted(
            f"{msgid!r}: not at {sorted(places - _occurrences(entries[msgid]))}"
            for msgid, places in self.code_terms.items()
            if msgid in entries and not places <= _occurrences(entries[msgid])
        )
        return self._problems(label, stale, moved)

    @staticmethod
    def _problems(label, stale, moved):
        problems = []
        if stale:
            problems.append(_listing(f"stale terms in {label}, no longer in the code", stale))
        if moved:
            problems.append(_listing(f"terms of {label} not at the places where the code uses them", moved))
        return problems

    def test_every_term_is_translated(self):
        entries = {entry.msgid: entry for entry in self.po if not entry.obsolete}
        missing = sorted(repr(msgid) for msgid in self.code_terms.keys() - entries.keys())
        untranslated = sorted(
            repr(msgid)
            for msgid in self.code_terms.keys() & entries.keys()
            if not entries[msgid].msgstr.strip() or "fuzzy" in entries[msgid].flags
        )
        problems = []
        if missing:
            problems.append(_listing("terms of the code missing from fr.po", missing))
        if untranslated:
            problems.append(_listing("terms of fr.po with an empty or fuzzy msgstr", untranslated))
        if problems:
            self.fail("\n".join(problems))
        self.assertEqual(self.po.metadata.get("Language"), "fr")
        self.assertTrue(self.po.metadata.get("Plural-Forms", "").startswith("nplurals=2;"))

    def test_no_stale_term_in_fr_po(self):
        problems = self._out_of_step(self.po, "fr.po")
        if problems:
            self.fail("\n".join(problems))

    def test_pot_matches_the_code(self):
        """Odoo merges the .pot into fr.po when it loads it: a stale .pot silently drops translations."""
        entries = {entry.msgid for entry in self.pot if not entry.obsolete}
        missing = sorted(repr(msgid) for msgid in self.code_terms.keys() - entries)
        problems = self._out_of_step(self.pot, f"{MODULE}.pot")
        if missing:
            problems.insert(0, _listing(f"terms of the code missing from {MODULE}.pot", missing))
        if problems:
            self.fail(
                "\n".join(problems) + "\nRe-export it: odoo-bin -c var/odoo.conf -d DB --stop-after-init "
                "--i18n-export=relance_fr/i18n/relance_fr.pot --modules=relance_fr"
            )

    def test_translations_keep_placeholders_and_tags(self):
        broken = sorted(
            f"{entry.msgid!r} -> {entry.msgstr!r}"
            for entry in self.po
            if entry.msgstr
            and sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr))
        )
        if broken:
            self.fail(_listing("translations that change a placeholder or a tag", broken))

    def test_english_texts_of_what_a_foreign_customer_reads(self):
        """i18n/en_GB.po (issue 20 §7): every term of the records a foreign customer reads in
        English (tools/relance_lang.ENGLISH_RECORDS: their subjects, bodies and views, not the
        templates' names) has an English text that keeps its placeholders and tags; the file is
        in step with the code (scripts/i18n.py rewrites it)."""
        english = polib.pofile(file_path(f"{MODULE}/i18n/en_GB.po"))
        entries = {entry.msgid: entry for entry in english if not entry.obsolete}
        records = {f"{MODULE}.{name}" for name in relance_lang.ENGLISH_RECORDS}
        for xmlid in sorted(records):
            self.assertTrue(self.env.ref(xmlid, raise_if_not_found=False), f"{xmlid} does not exist")
        needed = sorted(
            msgid
            for msgid, places in self.code_terms.items()
            if any(
                place.rsplit(":", 1)[-1] in records and not place.startswith("model:mail.template,name:")
                for place in places
            )
        )
        self.assertTrue(needed)
        untranslated = [
            repr(msgid)
            for msgid in needed
            if msgid not in entries or not entries[msgid].msgstr.strip() or "fuzzy" in entries[msgid].flags
        ]
        # an English text may leave out a French legal branch (consumers, public buyers) or word
        # a subject's choices differently, but never brings an expression of its own
        broken = sorted(
            f"{entry.msgid!r} -> {entry.msgstr!r}"
            for entry in english
            if entry.msgstr
            and (
                sorted(PERCENT.findall(entry.msgid)) != sorted(PERCENT.findall(entry.msgstr))
                or set(QWEB_ATTRIBUTE.findall(entry.msgstr)) - set(QWEB_ATTRIBUTE.findall(entry.msgid))
            )
        )
        problems = self._out_of_step(english, "en_GB.po")
        if untranslated:
            problems.append(
                _listing("terms a foreign customer reads without English text in en_GB.po", untranslated)
            )
        if broken:
            problems.append(_listing("English texts that change a placeholder or a tag", broken))
        if problems:
            self.fail(
                "\n".join(problems) + "\nRun scripts/i18n.py DB, then write the English texts it lists."
            )
        self.assertEqual(english.metadata.get("Language"), "en_GB")

    def test_french_user_sees_french_labels(self):
        fr_env = self.env(context=dict(self.env.context, lang="fr_FR"))
        self.assertEqual(fr_env.ref("relance_fr.relance_reminder_menu").name, "Relances")
        self.assertEqual(fr_env.ref("relance_fr.relance_policy_menu").name, "Scénarios de relance")
        self.assertIn('string="Recouvrement"', fr_env.ref("relance_fr.res_partner_view_form").arch_db)
        self.assertIn('string="Relancer"', fr_env.ref("relance_fr.account_move_view_form").arch_db)
        fields = fr_env["account.move"].fields_get(["relance_specialist_id", "relance_level_id"], ["string"])
        self.assertEqual(fields["relance_specialist_id"]["string"], "Chargé de recouvrement")
        self.assertEqual(fields["relance_level_id"]["string"], "Niveau de relance")
        states = dict(fr_env["relance.reminder"].fields_get(["state"])["state"]["selection"])
        self.assertEqual(states["to_validate"], "À valider")
        # a message of the Python code, raised in the user's language
        with self.assertRaisesRegex(UserError, "Aucune des relances sélectionnées ne part par courrier."):
            fr_env["relance.reminder"].action_print_letters()
