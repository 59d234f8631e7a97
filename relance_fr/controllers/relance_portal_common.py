"""What every route of the customer's page shares: its refusals, its security headers, its
pages without account data, and the decorator that puts them on every response. The page speaks
the customer's language (``res.partner._relance_lang``: French, or English for a foreign customer
that reads English) once the customer is known, French before."""

import functools
import hashlib
import logging

from werkzeug.exceptions import NotFound

from odoo.exceptions import UserError
from odoo.http import request

from ..tools import relance_lang, relance_portal

_logger = logging.getLogger(__name__)

ROUTE = "/relance/<string:token>"
SESSION_PATH = "compte"  # /relance/compte: the page of the customer kept in the session
SESSION_KEY = "relance_portal"
LANG_KEY = "relance_page_lang"  # the request's context key of the page's language


def _set_lang(lang):
    """The page speaks ``lang`` from now on: its Python texts and its templates (whatever the
    browser's Accept-Language asks)."""
    request.update_context(lang=lang, **{LANG_KEY: lang})


def _lang():
    """The language of the page: the customer's once known (``_set_lang``), else French."""
    return request.env.context.get(LANG_KEY) or relance_lang.FRENCH


def _words():
    """The Python texts of the page in its language (tools/relance_lang.PAGE)."""
    return relance_lang.page_words(_lang())


class PageError(UserError):
    """A refusal of the page, already in the page's language."""


class LinkExpired(Exception):
    """The link is right but too old: the expired page, which offers a fresh link."""

    def __init__(self, base):
        super().__init__(base)
        self.base = base


def _secure(response):
    response.headers.update(relance_portal.SECURITY_HEADERS)
    return response


def _plain_page(status, title, text, renew_action=None):
    """A page that shows nothing of any account (not found, error, expired link), in the
    page's language."""
    lang = _lang()
    _set_lang(lang)
    response = request.render(
        "relance_fr.relance_portal_plain",
        {
            "title": title,
            "text": text,
            "renew_action": renew_action,
            "renew_label": relance_lang.page_words(lang)["renew"],
            "html_lang": "en" if relance_lang.is_english(lang) else "fr",
        },
    )
    response.status_code = status
    return response


def _json_error(message):
    """A JSON-RPC error for Odoo's payment form: its message, nothing of the server."""
    return request.make_json_response(
        {
            "jsonrpc": "2.0",
            "id": None,
            "error": {
                "code": 200,
                "message": message,
                "data": {"name": "relance_fr.PageError", "message": message, "arguments": [message]},
            },
        }
    )


def public_route(json=False):
    """Every route of the page: the security headers on whatever it answers; 404, an expired
    link or a crash become a page in the page's language (``json``: a JSON-RPC error without traceback)."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                response = method(self, *args, **kwargs)
            except NotFound:
                words = _words()
                response = (
                    _json_error(words["not_found_json"])
                    if json
                    else _plain_page(404, words["not_found_title"], words["not_found"])
                )
            except LinkExpired as expired:
                words = _words()
                response = (
                    _json_error(words["expired_json"])
                    if json
                    else _plain_page(
                        410, words["expired_title"], words["expired"], renew_action=f"{expired.base}/renew"
                    )
                )
            except PageError as error:
                if not json:
                    raise
                response = _json_error(str(error.args[0]))
            except Exception:
                _logger.exception("Customer page: %s failed", method.__name__)
                request.env.cr.rollback()
                words = _words()
                response = (
                    _json_error(words["error_json"])
                    if json
                    else _plain_page(500, words["error_title"], words["error"])
                )
            return _secure(response)

        return wrapper

    return decorate


def _check(token):
    """What the session keeps of the token: enough to notice a reset, not the token."""
    return hashlib.sha256(token.encode()).hexdigest()
