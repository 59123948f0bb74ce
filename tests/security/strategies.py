"""Hypothesis strategies for hostile form input: what a browser, a script or an attacker
may post in a field, mixed with values that a form should accept.

A posted form is a ``dict`` for Django's test client: a value is a string, a list of
strings (the key repeated, as ``a=1&a=2``) or absent (``MISSING`` is dropped by ``post_data``).
"""

from __future__ import annotations

import zlib

from hypothesis import strategies as st

from forum_ouvert.core.validators import is_control

#: A field left out of the POST entirely.
MISSING = object()

#: Payloads aimed at the usual weak spots: markup, script, SQL, template and format
#: strings, path traversal, header injection, and text that misleads the eye.
PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(document.cookie)",
    "<svg/onload=alert(1)>",
    "'; DROP TABLE contributions_contribution; --",
    "' OR '1'='1",
    "1; SELECT pg_sleep(5)--",
    "\\x00\\' UNION SELECT NULL--",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "%s%s%s%n",
    "${jndi:ldap://exemple.fr/a}",
    "../../../../etc/passwd",
    "line\r\nSet-Cookie: pwn=1",
    "\u202egnp.exe",  # right-to-left override
    "\u200b\u200c\u200d\ufeff",  # zero-width characters
    "\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd",  # Arabic and Hebrew
    "👩‍👩‍👧‍👦🏳️‍🌈🇫🇷",
    "Z̴̡̛̗͎a̸̱͠l̴̰̓g̵̞̐o̴̤͝",
    "\x00",
    "\x01\x02\x1b[31m\x7f",
    "\t\n\r\x0b\x0c",
    "ﬀ ß İ ǅ",  # characters whose case mapping changes the length
    "٠١٢٣٤٥٦٧٨٩",  # Arabic-Indic digits
    "１２３４５",  # full-width digits
    "NaN",
    "-0",
    "1e309",
    "null",
    "undefined",
    "[]",
    '{"a": 1}',
)

#: Printable text without surrogates, the way a person types.
_printable = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
    max_size=60,
)
#: Any character that UTF-8 can carry, control characters and NUL included.
_any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=80)


@st.composite
def _long_text(draw) -> str:
    """A very long value (up to ~200 000 characters): one character or payload repeated."""
    unit = draw(st.sampled_from(("A", "é", "😀", "<b>", "\x00", " ", *PAYLOADS[:4])))
    return unit * draw(st.integers(min_value=1_000, max_value=200_000 // len(unit)))


_HOSTILE_TEXT = st.one_of(
    st.sampled_from(PAYLOADS),
    st.sampled_from(("", " ", "   \t\n  ", "\u00a0\u2003\u3000")),
    _any_text,
    _long_text(),
    st.builds(lambda a, b: a + b, st.sampled_from(PAYLOADS), _any_text),
)


def hostile_text() -> st.SearchStrategy[str]:
    """A string that no form should accept blindly (it may still be valid)."""
    return _HOSTILE_TEXT


@st.composite
def valid_text(draw, *, min_size: int = 0, max_size: int = 200) -> str:
    """Text a form should accept: long enough once stripped, short enough, no NUL, but
    carrying payloads, unicode tricks and control characters (other than NUL) inside."""
    pieces = draw(
        st.lists(st.one_of(st.sampled_from(PAYLOADS), _printable), min_size=1, max_size=4)
    )
    text = "Texte " + " ".join(pieces).replace("\x00", "")
    if len(text.strip()) < min_size:
        text += " complété" * (1 + min_size // 9)
    return text[:max_size].strip() or "Texte"


#: Values that break a line (issue 23: a title holding one of them made the e-mail library
#: refuse the subject, after the act was saved): a title or a name refuses them.
LINE_BREAKERS = ("\n", "\r\n", "\r", "\t", "\x0b", "\x0c", "\x1b", "\x7f", "\x85")
LINE_BREAKERS += ("\u2028", "\u2029")  # the Unicode line and paragraph separators


@st.composite
def valid_line(draw, *, min_size: int = 0, max_size: int = 200) -> str:
    """A title or a name a form should accept: like ``valid_text`` (payloads, unicode
    tricks), but on one line (its control characters turned into spaces)."""
    text = draw(valid_text(min_size=min_size, max_size=max_size))
    return "".join(" " if is_control(char) else char for char in text).strip() or "Texte"


def broken_lines(valid: st.SearchStrategy) -> st.SearchStrategy[str]:
    """A valid title or name with a line breaker inside it (never at an end, where the
    form's stripping would remove it): a value that must be refused."""
    return st.builds(
        lambda text, breaker: f"Texte{breaker}{text}", valid, st.sampled_from(LINE_BREAKERS)
    )


def one_of_hostile(valid: st.SearchStrategy, extra=()) -> st.SearchStrategy:
    """A field's value when the example is meant to be hostile: often valid anyway, often
    not, sometimes missing or repeated with another value."""
    hostile = st.one_of(_HOSTILE_TEXT, *extra)
    return st.one_of(
        valid,
        hostile,
        st.just(MISSING),
        st.lists(st.one_of(valid, hostile), min_size=2, max_size=3),
    )


def forms(valid: dict[str, st.SearchStrategy], extra: dict[str, list] | None = None):
    """A third of the examples a form that should pass (hostile content in valid shapes), a
    third the same with one field hostile, missing or repeated, a third with every field
    so (``extra[name]`` adds wrong values for that field). Drawn as ``(meant_valid, data)``.
    """
    extra = extra or {}
    hostile = {name: one_of_hostile(s, extra.get(name, ())) for name, s in valid.items()}
    return st.one_of(
        st.tuples(st.just(True), st.fixed_dictionaries(valid)),
        st.tuples(
            st.just(False),
            st.sampled_from(sorted(valid)).flatmap(
                lambda name: st.fixed_dictionaries({**valid, name: hostile[name]})
            ),
        ),
        st.tuples(st.just(False), st.fixed_dictionaries(hostile)),
    )


def numbers() -> st.SearchStrategy[str]:
    """Numbers as posted: negative, huge, decimal, scientific, padded, non-ASCII digits."""
    return st.one_of(
        st.integers().map(str),
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.just("9" * 5000),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.sampled_from(("", " 1 ", "+5", "0x10", "1_000", "١٠", "５０", "1.0", "2**63")),
        st.sampled_from(HUGE_IDS),
    )


#: Ids at and past the ends of PostgreSQL's ``bigint`` (issue 23: one past 2^63 − 1 in the
#: AMI queue's checkboxes made psycopg raise ``OverflowError``, a 500).
HUGE_IDS = (
    "2147483648",  # one past an ``integer`` (``AutoField``)
    "9223372036854775807",  # the last ``bigint``
    "9223372036854775808",  # one past it
    "-9223372036854775809",
    "18446744073709551616",
    "1" + "0" * 40,
    "9" * 5000,
)


def ids(known) -> st.SearchStrategy[str]:
    """An id as posted in a form or put in a URL: one of ``known``, or a wrong one — huge,
    negative, not a number."""
    known = st.sampled_from([str(pk) for pk in known])
    return st.one_of(known, st.sampled_from(HUGE_IDS), numbers())


def dates() -> st.SearchStrategy[str]:
    """Dates as posted: valid ones, impossible ones, out of range, in other formats."""
    return st.one_of(
        st.dates().map(lambda d: d.isoformat()),
        st.sampled_from(
            (
                "2025-02-30",
                "2025-13-01",
                "0000-01-01",
                "0001-01-01",
                "9999-12-31",
                "10000-01-01",
                "-2025-01-01",
                "31/12/2025",
                "2025-01-01T25:00",
                "2025-1-1",
                "٢٠٢٥-٠١-٠١",
                "today",
            )
        ),
    )


def _pdf(*objects: bytes) -> bytes:
    body = b"".join(b"%d 0 obj %s endobj\n" % (n, o) for n, o in enumerate(objects, 1))
    return b"%PDF-1.7\n" + body + b"trailer << /Root 1 0 R >>\n%%EOF\n"


def _object_stream(dictionary: bytes) -> bytes:
    packed = zlib.compress(b"3 0 " + dictionary)
    header = b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>" % len(packed)
    return header + b"\nstream\n" + packed + b"\nendstream"


#: PDFs that act when opened or used (issue 23: one with ``/OpenAction`` and ``/JavaScript``
#: was accepted as an AMI attachment): every upload refuses them.
ACTIVE_PDFS = {
    "open-action-javascript": _pdf(
        b"<< /Type /Catalog /OpenAction 2 0 R >>",
        b"<< /S /JavaScript /JS (app.alert(1)) >>",
    ),
    "javascript-name-tree": _pdf(b"<< /Type /Catalog /Names << /JavaScript 2 0 R >> >>"),
    "js-only": _pdf(b"<< /Type /Catalog >>", b"<< /S /Foo /JS(app.alert(1))>>"),
    "launch": _pdf(b"<< /Type /Catalog /OpenAction << /S /Launch /F (calc.exe) >> >>"),
    "embedded-file": _pdf(b"<< /Type /EmbeddedFile /Length 0 >>"),
    "additional-actions": _pdf(b"<< /Type /Page /AA << /O 2 0 R >> >>"),
    "hex-escaped-name": _pdf(b"<< /Type /Catalog /Open#41ction 2 0 R >>"),
    "in-an-object-stream": _pdf(
        b"<< /Type /Catalog >>", _object_stream(b"<< /OpenAction << /S /JavaScript >> >>")
    ),
}


def post_data(fields: dict) -> dict:
    """The POST body: ``MISSING`` fields are left out."""
    return {name: value for name, value in fields.items() if value is not MISSING}
