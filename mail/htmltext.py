"""HTML bodies as clean text: no tags, scripts, styles or entities; blocks on their own lines."""
import re

from lxml import etree, html

BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
          "blockquote", "pre", "section", "article", "header", "footer", "hr", "dt", "dd"}
DROP = ("script", "style", "head", "title", "noscript", "template", "svg")


def html_to_text(markup):
    """Readable text of an HTML document or fragment."""
    if not markup or not markup.strip():
        return ""
    try:
        root = html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return _collapse(re.sub(r"<[^>]*>", " ", markup))
    for element in root.iter(*DROP):
        element.drop_tree()
    for element in root.iter(etree.Comment):
        element.drop_tree()
    for element in root.iter(*BLOCKS):
        element.tail = "\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n" + (element.text or "")
    for element in root.iter("td", "th"):
        element.tail = " " + (element.tail or "")
    return _collapse(root.text_content())


def _collapse(text):
    lines = [" ".join(line.replace("\u00a0", " ").split()) for line in text.splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
