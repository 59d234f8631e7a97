"""Which language a customer reads (issue 20 §7): tools/relance_lang, no database."""

import re

import pytest

from odoo.addons.relance_fr.tools import relance_lang, relance_portal
from odoo.addons.relance_fr.tools.relance_lang import ENGLISH, FRENCH, FRENCH_TERRITORIES

ENGLISH_LANGS = ("en_US", "en_GB", "en_AU", "en_CA", "en_IN", "en_NZ", "en")
OTHER_LANGS = ("fr_FR", "fr_BE", "fr_CA", "fr_CH", "de_DE", "es_ES", "nl_BE", "it_IT", "", None, False)
ABROAD = ("US", "GB", "IE", "BE", "DE", "CA", "CH", "AU", "us", "gb")


@pytest.mark.parametrize("lang", ENGLISH_LANGS)
@pytest.mark.parametrize("country", ABROAD)
def test_english_reader_abroad_reads_english(lang, country):
    assert relance_lang.message_lang(lang, country) == ENGLISH


@pytest.mark.parametrize("lang", ENGLISH_LANGS)
@pytest.mark.parametrize("country", sorted(FRENCH_TERRITORIES) + ["fr", "re", "", None, False])
def test_english_reader_in_france_or_without_country_reads_french(lang, country):
    assert relance_lang.message_lang(lang, country) == FRENCH


@pytest.mark.parametrize("lang", OTHER_LANGS)
@pytest.mark.parametrize("country", ABROAD + ("FR", "GP", None))
def test_every_other_reader_reads_french(lang, country):
    assert relance_lang.message_lang(lang, country) == FRENCH


def test_the_french_territories():
    assert FRENCH_TERRITORIES == {
        "FR",
        "GP",
        "MQ",
        "GF",
        "RE",
        "YT",
        "PM",
        "BL",
        "MF",
        "NC",
        "PF",
        "WF",
        "TF",
    }
    assert relance_lang.message_lang("english", "US") == FRENCH  # a language code, not a word


def test_rates():
    assert relance_lang.format_rate(7.86, FRENCH) == "7,86 %"
    assert relance_lang.format_rate(12.15, ENGLISH) == "12.15%"


def test_english_salutation_and_closing():
    assert relance_lang.salutation("Mr.", "John Smith", True) == ("Dear Mr. Smith,", "Yours sincerely,")
    assert relance_lang.salutation("", " Mary   Jones ", True) == ("Dear Mary Jones,", "Yours sincerely,")
    assert relance_lang.salutation("", "Golden Gate Imports Inc.", False) == (
        "Dear Sir or Madam,",
        "Yours faithfully,",
    )
    assert relance_lang.salutation("Dr.", "", True) == ("Dear Sir or Madam,", "Yours faithfully,")


def test_closing_line():
    assert relance_lang.closing("Yours faithfully,", ENGLISH) == "Yours faithfully,"
    assert relance_lang.closing("Madame, Monsieur", FRENCH) == (
        "Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées."
    )
    assert "&lt;b&gt;" in relance_lang.closing("<b>", FRENCH)  # the civility is text


def test_level_names():
    assert relance_lang.level_name("Relance 2", "relance_2", ENGLISH) == "Reminder 2"
    assert relance_lang.level_name("Mise en demeure", "formal_notice", ENGLISH) == "Formal notice"
    assert relance_lang.level_name("Relance 2", "relance_2", FRENCH) == "Relance 2"
    assert relance_lang.level_name("Mon niveau", "", ENGLISH) == "Mon niveau"


def test_words():
    assert relance_lang.words(ENGLISH)["by_email"] % "31 Mar 2026" == "by email on 31 Mar 2026"
    assert relance_lang.words(FRENCH)["by_email"] % "31/03/2026" == "par courriel le 31/03/2026"
    assert relance_lang.words("de_DE") is relance_lang.WORDS[FRENCH]
    assert relance_lang.WORDS[FRENCH].keys() == relance_lang.WORDS[ENGLISH].keys()


def test_the_customer_pages_words():
    """Every text of the customer's page exists in both languages with the same placeholders;
    the confirmations in English are the French ones' (relance_portal.DONE)."""
    french, english = relance_lang.page_words(FRENCH), relance_lang.page_words(ENGLISH)
    assert set(french) == set(english)
    for key, text in french.items():
        assert sorted(re.findall(r"%\(?\w*\)?s", text)) == sorted(
            re.findall(r"%\(?\w*\)?s", english[key])
        ), key
    assert relance_lang.page_words("de_DE") is french
    assert set(relance_lang.DONE_ENGLISH) == set(relance_portal.DONE)
    assert english["statement_file"] % "2026-03-31" == "Account statement 2026-03-31.pdf"
    assert french["statement_file"] % "2026-03-31" == "Releve de compte 2026-03-31.pdf"
    assert [english["day_late"] % 1, english["days_late"] % 20, french["days_late"] % 20] == [
        "1 day",
        "20 days",
        "20 j",
    ]
