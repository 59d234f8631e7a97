import functools
import io
import itertools
import logging
import re
import subprocess

import lxml.html
from lxml.html import builder as E

from odoo import api, models
from odoo.tools import split_every
from odoo.tools.misc import find_in_path
from odoo.tools.pdf import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    PdfFileReader,
    PdfFileWriter,
    create_string_object,
)

_logger = logging.getLogger(__name__)

# An invisible link at the top of each document of a joined HTML: wkhtmltopdf turns it into a
# link annotation on the page where the document starts (a link of zero size gives none).
MARKER_URL = "https://relance.invalid/split/%d"
MARKER_STYLE = "position: absolute; width: 1px; height: 1px;"
MARKER = re.compile(r"https://relance\.invalid/split/(\d+)")
# documents per wkhtmltopdf call: a run's letters come in a few calls of bounded size
DOCUMENTS_PER_CALL = 100


@functools.cache
def wkhtmltopdf_takes_several_documents():
    """Only a wkhtmltopdf built on its patched Qt prints several HTML documents in one call;
    Debian's package is built on the plain Qt and stops with an error."""
    try:
        version = subprocess.run(
            [find_in_path("wkhtmltopdf"), "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return True  # let Odoo report the missing binary as usual
    return "patched qt" in version.lower()


def join_bodies(bodies):
    """One HTML document: the first one, with the content of every document's <body> in its
    <body>, each after a page break (but the first) and starting with its marker."""
    document = lxml.html.document_fromstring(bodies[0])
    target = document.body
    target.insert(0, E.A(href=MARKER_URL % 0, style=MARKER_STYLE))
    target[0].tail, target.text = target.text, None
    for index, html in enumerate(bodies[1:], start=1):
        source = lxml.html.document_fromstring(html).body
        target.append(E.DIV(style="page-break-before: always;"))
        target.append(E.A(href=MARKER_URL % index, style=MARKER_STYLE))
        target[-1].tail = source.text
        target.extend(list(source))
    return lxml.html.tostring(document.getroottree(), encoding="unicode")


def pop_markers(reader, count):
    """The page where each of ``count`` documents starts, from their markers, which are
    removed from the pages; None unless each document starts on a page of its own, in order."""
    found = {}
    for number, page in enumerate(reader.pages):
        if "/Annots" not in page:
            continue
        kept = ArrayObject()
        for annot in page["/Annots"]:
            uri = annot.get_object().get("/A", {}).get("/URI")
            marker = MARKER.fullmatch(str(uri or ""))
            if marker:
                found.setdefault(int(marker[1]), number)
            else:
                kept.append(annot)
        page[NameObject("/Annots")] = kept
    starts = [found.get(index) for index in range(count)]
    if None in starts or starts[0] != 0 or starts != sorted(set(starts)):
        return None
    return starts


def outlined_pdf(pages, starts):
    """A PDF of ``pages`` with one top-level outline per document, at the page where it
    starts: what Odoo's _render_qweb_pdf_prepare_streams splits a PDF by (each outline's
    named destination in the catalog's /Dests holds the index of its page)."""
    writer = PdfFileWriter()
    for page in pages:
        writer.add_page(page)
    root = DictionaryObject({NameObject("/Type"): NameObject("/Outlines")})
    root_ref = writer._add_object(root)
    dests = DictionaryObject()
    items = []  # (outline item, its reference)
    for index, start in enumerate(starts):
        name = NameObject("/document%d" % index)
        dests[name] = ArrayObject([NumberObject(start), NameObject("/Fit")])
        item = DictionaryObject(
            {
                NameObject("/Title"): create_string_object(str(index + 1)),
                NameObject("/Parent"): root_ref,
                NameObject("/Dest"): name,
            }
        )
        items.append((item, writer._add_object(item)))
    for (previous, previous_ref), (item, item_ref) in itertools.pairwise(items):
        previous[NameObject("/Next")] = item_ref
        item[NameObject("/Prev")] = previous_ref
    root.update(
        {
            NameObject("/First"): items[0][1],
            NameObject("/Last"): items[-1][1],
            NameObject("/Count"): NumberObject(len(items)),
        }
    )
    writer._root_object.update({NameObject("/Outlines"): root_ref, NameObject("/Dests"): dests})
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _run_wkhtmltopdf(self, bodies, *args, **kwargs):
        # EXTENDS base: Debian's wkhtmltopdf takes one HTML document per call and makes no
        # outlines, by which Odoo splits a PDF per record. Print the documents as one HTML in
        # one call, find where each starts from its marker, and add the outlines.
        run = functools.partial(super()._run_wkhtmltopdf, *args, **kwargs)
        report_ref = kwargs.get("report_ref")
        if len(bodies) < 2 or wkhtmltopdf_takes_several_documents():
            return run(bodies)
        pages, starts = [], []
        for chunk in split_every(DOCUMENTS_PER_CALL, bodies):
            chunk_pages, chunk_starts = self._relance_print_together(run, chunk, report_ref)
            starts += [len(pages) + start for start in chunk_starts]
            pages += chunk_pages
        return outlined_pdf(pages, starts)

    @api.model
    def _relance_print_together(self, run, bodies, report_ref):
        """``(pages, index of the page where each document starts)``, in one call when the
        markers allow it, else one call per document."""
        reader = PdfFileReader(io.BytesIO(run([join_bodies(bodies)])))
        starts = pop_markers(reader, len(bodies))
        if starts is not None:
            return list(reader.pages), starts
        # a document hid its marker or shares a page with another: one call per document
        _logger.warning(
            "Report %s: no page found for each of the %s documents printed together, printing them "
            "one by one",
            report_ref,
            len(bodies),
        )
        readers = [PdfFileReader(io.BytesIO(run([body]))) for body in bodies]
        starts = [sum(len(r.pages) for r in readers[:index]) for index in range(len(readers))]
        return [page for r in readers for page in r.pages], starts
