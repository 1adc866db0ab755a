"""The HTML board pack: one self-contained, printable, accessible page.

The page is rendered from Jinja2 templates (``stratkit/reporting/templates``) with
autoescape on and :class:`jinja2.StrictUndefined`, so every piece of text from a
strategy, an observations file, a commentary or a branding file is escaped, and a
template that names a missing value fails loudly rather than printing nothing.
Every value a template prints also passes through stratkit's ``neutralise``
(the environment's ``finalize``), so control characters and Unicode bidi overrides
show as ``\\u202e``-style escapes, as in Markdown and on the terminal. A
trust overrides any template by putting a file of the same name in its strategy
folder's ``templates/`` folder (rendered in Jinja2's sandbox); the built-in one
stays reachable as ``stratkit/<name>``.

Everything is inline (CSS, SVG charts and icons, the logo as a ``data:`` address);
nothing is fetched from the network, and there is no script. A link is only made
from an ``http`` or ``https`` address. The same evaluation always gives the same
bytes: the only date printed is the as-of date.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from stratkit._safe_text import neutralise
from stratkit.reporting.pack import PackOptions

__all__ = ["card_css", "esc", "outcome_card", "render_card", "render_html", "safe_href"]

_TEMPLATES = Path(__file__).with_name("templates")
_ENVIRONMENTS: dict[str, Any] = {}


def esc(text: Any) -> str:
    """Text for HTML: ``html.escape(..., quote=True)`` of the text with its control and
    bidi characters neutralised (shown as ``\\u202e``-style escapes); ``None``
    becomes empty."""
    return "" if text is None else escape(neutralise(str(text)), quote=True)


def _finalize(value: Any) -> Any:
    """What a template prints, with control and bidi characters neutralised.

    Runs before autoescape: plain text stays text (escaped afterwards, once);
    markup (stratkit's drawings, a macro's output, ``|e``) stays markup, its
    characters neutralised in place, which adds no ``<``, ``&`` or quote.
    """
    if value is None or isinstance(value, (bool, int, float)):
        return value
    from markupsafe import Markup

    html = getattr(value, "__html__", None)
    if html is not None:
        return Markup(neutralise(str(html())))  # noqa: S704 - escapes only, no markup added
    return neutralise(str(value))


def _http_only(url: Any) -> str | None:
    if not isinstance(url, str):
        return None
    candidate = url.strip()
    if candidate.lower().startswith(("https://", "http://")) and not any(
        c in candidate for c in ('"', "<", ">", "`", " ", "\n", "\r", "\t", "\\")
    ):
        return candidate
    return None


def safe_href(url: Any) -> str | None:
    """An escaped ``href`` for an http(s) address; ``None`` for anything else."""
    found = _http_only(url)
    return None if found is None else esc(found)


def _css_string(text: Any) -> Any:
    """Text inside a CSS string in a ``<style>`` element: every character that could
    end the string, the rule or the element is a CSS escape. Control and bidi
    characters are neutralised first, so a print header shows ``\\u202e``, not an
    override."""
    from markupsafe import Markup

    out = []
    for ch in neutralise(str(text), one_line=True):
        if ch.isalnum() or ch in " .,;:()-_'/·–—!?%+=#@*[]{}|~^$":
            out.append(ch if ch not in "{}" else f"\\{ord(ch):x} ")
        else:
            out.append(f"\\{ord(ch):x} ")
    return Markup("".join(out))  # noqa: S704 - every unsafe character is escaped above


def environment(templates: Path | None = None) -> Any:
    """The Jinja2 environment: a trust's ``templates`` folder first, then stratkit's."""
    key = str(templates) if templates is not None else ""
    found = _ENVIRONMENTS.get(key)
    if found is not None:
        return found
    import jinja2

    builtin = jinja2.FileSystemLoader(str(_TEMPLATES))
    loaders: list[Any] = []
    kind: type[jinja2.Environment] = jinja2.Environment
    if templates is not None:
        from jinja2.sandbox import SandboxedEnvironment

        loaders.append(jinja2.FileSystemLoader(str(templates)))
        kind = SandboxedEnvironment
    loaders += [builtin, jinja2.PrefixLoader({"stratkit": builtin})]
    env = kind(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change while a pack is drawn: no stat per include
        finalize=_finalize,
    )
    env.filters["css_string"] = _css_string
    env.filters["http_only"] = lambda url: _http_only(url) or ""
    _ENVIRONMENTS[key] = env
    return env


def render_html(
    evaluation: Any,
    *,
    progress: Callable[[], None] | None = None,
    pack: PackOptions | None = None,
) -> str:
    """The board pack of ``evaluation`` as one HTML document (a ``str``).

    ``pack`` adds commentary, branding, the trust's templates and a committee
    selection (see :func:`stratkit.reporting.pack.load_pack`). ``progress``
    (optional) is called with no argument after each outcome's card is drawn.
    """
    from stratkit.reporting._pack_context import pack_context

    options = pack or PackOptions()
    context = pack_context(evaluation, options, progress)
    footer = []
    if context["illustrative"]:
        footer.append("Illustrative data: not real performance")
    if context["selection"]:
        footer.append(f"Committee pack: {context['selection']}")
    context["footer_note"] = " · ".join(footer)
    return _render(options, "pack.html.j2", context)


def _render(options: PackOptions, name: str, context: dict[str, Any]) -> str:
    """Render a template; a template error (a trust's own template naming a value the
    pack does not have, a syntax error) becomes a :class:`PackFileError` naming the
    template and its line."""
    import jinja2

    from stratkit.errors import PackFileError, Problem

    try:
        return str(environment(options.templates).get_template(name).render(context))
    except jinja2.TemplateError as exc:
        import traceback

        file = getattr(exc, "filename", None) or name
        line = getattr(exc, "lineno", None)
        # Jinja2 rewrites the traceback so that its frames are the templates' lines
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename.endswith((".j2", ".css")):
                file, line = frame.filename, frame.lineno
        message = f"template error: {exc.message or exc}"
        raise PackFileError(
            str(file), [Problem(file=str(file), line=line, message=message)]
        ) from None


def render_card(result: Any, evaluation: Any, *, pack: PackOptions | None = None) -> str:
    """One outcome's card (the HTML fragment of the pack, without the page's styles)."""
    from stratkit.reporting import _text
    from stratkit.reporting._pack_context import card_context

    options = pack or PackOptions()
    strategy = getattr(evaluation, "strategy", None)
    if strategy is None:  # a result on its own: no ambition, objective or forum to name
        row = _text.outcome_row(result)
    else:
        ambition, objective = strategy.parents(result.outcome_id)
        row = _text.outcome_row(result, ambition.id, objective.id)
    card = card_context(result, row, strategy, options, getattr(evaluation, "as_of", None))
    return _render(options, "card.html.j2", {"card": card})


def outcome_card(result: Any) -> str:
    """An ``OutcomeResult``'s card, as the pack draws it (its notebook display).

    The result's evaluation (``result.evaluation``), when it has one, places the
    outcome under its ambition and objective and names the forums overseeing it.
    """
    evaluation = getattr(result, "evaluation", None)
    if evaluation is None:
        evaluation = _Alone(as_of=result.as_of)
    return render_card(result, evaluation)


class _Alone:
    """The evaluation of a result made on its own: only its as-of date is known."""

    strategy = None

    def __init__(self, *, as_of: Any) -> None:
        self.as_of = as_of


def card_css(scope: str = ".stratkit-card") -> str:
    """The pack's style sheet with every rule scoped to ``scope``: for a card shown
    outside the pack (a notebook), so that it leaves the page around it alone.

    Rules for the page itself (``body``, ``:root``, headings) apply to the scope;
    print rules and ``@page`` are left out.
    """
    from stratkit.reporting.branding import Branding

    default = Branding()
    css = (
        environment()
        .get_template("pack.css")
        .render(
            primary=default.primary,
            accent=default.accent,
            trust="",
            title="",
            as_of="",
            footer_note="",
        )
    )
    return "\n".join(_scoped(css, scope))


def _scoped(css: str, scope: str) -> list[str]:
    out: list[str] = []
    depth = 0
    skip_from = -1
    selector = ""
    for ch in css:
        if ch == "{":
            head = selector.strip()
            if depth == 0 and head.startswith("@") and not head.startswith("@media screen"):
                skip_from = depth  # @page, @media print: not for a card on screen
            elif skip_from < 0 and not head.startswith("@"):
                parts = []
                for raw in head.split(","):
                    sel = raw.strip()
                    if sel in (":root", "body", "html", "*"):
                        parts.append(scope if sel != "*" else f"{scope} *")
                    else:
                        parts.append(f"{scope} {sel}")
                out.append(", ".join(parts) + " {")
            elif skip_from < 0:
                out.append(head + " {")
            depth += 1
            selector = ""
        elif ch == "}":
            depth -= 1
            if skip_from >= 0 and depth == skip_from:
                skip_from = -1
            elif skip_from < 0:
                out[-1] += (" " + selector.strip() if selector.strip() else "") + " }"
            selector = ""
        elif ch == ";" and skip_from < 0 and depth > 0:
            out[-1] += " " + selector.strip() + ";"
            selector = ""
        else:
            selector += ch
    return out
