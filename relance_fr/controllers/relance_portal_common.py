"""What every route of the customer's page shares: its refusals, its security headers, its
French pages without account data, and the decorator that puts them on every response."""

import functools
import hashlib
import logging

from werkzeug.exceptions import NotFound

from odoo.exceptions import UserError
from odoo.http import request

from ..tools import relance_portal

_logger = logging.getLogger(__name__)

ROUTE = "/relance/<string:token>"
SESSION_PATH = "compte"  # /relance/compte: the page of the customer kept in the session
SESSION_KEY = "relance_portal"
TOO_MANY = (
    "Vous avez envoyé beaucoup de demandes en peu de temps : merci de réessayer dans une heure, "
    "ou d'appeler directement votre interlocuteur."
)


class PageError(UserError):
    """A refusal of the page, already in French (the page speaks French only)."""


class LinkExpired(Exception):
    """The link is right but too old: the expired page, which offers a fresh link."""

    def __init__(self, base):
        super().__init__(base)
        self.base = base


def _secure(response):
    response.headers.update(relance_portal.SECURITY_HEADERS)
    return response


def _plain_page(status, title, text, renew_action=None):
    """A French page that shows nothing of any account (not found, error, expired link)."""
    response = request.render(
        "relance_fr.relance_portal_plain",
        {"title": title, "text": text, "renew_action": renew_action},
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
    link or a crash become a French page (``json``: a JSON-RPC error without traceback)."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                response = method(self, *args, **kwargs)
            except NotFound:
                response = (
                    _json_error("Page introuvable.")
                    if json
                    else _plain_page(
                        404,
                        "Page introuvable",
                        "Ce lien ne mène à aucun compte : il est incomplet, ou un lien plus récent "
                        "vous a été envoyé. Utilisez celui de notre dernier courriel ou courrier.",
                    )
                )
            except LinkExpired as expired:
                response = (
                    _json_error("Ce lien a expiré : rechargez la page.")
                    if json
                    else _plain_page(
                        410,
                        "Lien expiré",
                        "Ce lien vers votre compte client a expiré. Nous pouvons envoyer un nouveau lien "
                        "à l'adresse de facturation que nous connaissons pour votre société.",
                        renew_action=f"{expired.base}/renew",
                    )
                )
            except PageError as error:
                if not json:
                    raise
                response = _json_error(str(error.args[0]))
            except Exception:
                _logger.exception("Customer page: %s failed", method.__name__)
                request.env.cr.rollback()
                response = (
                    _json_error("Une erreur est survenue : réessayez dans quelques minutes.")
                    if json
                    else _plain_page(
                        500,
                        "Erreur",
                        "Une erreur est survenue de notre côté. Réessayez dans quelques minutes, ou "
                        "appelez votre interlocuteur habituel.",
                    )
                )
            return _secure(response)

        return wrapper

    return decorate


def _check(token):
    """What the session keeps of the token: enough to notice a reset, not the token."""
    return hashlib.sha256(token.encode()).hexdigest()
