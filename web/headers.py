"""Security headers on every response, and the headers of a diagram source download.

One ``after_request`` hook rather than Flask-Talisman: dealflow needs a fixed
policy and four headers, while Talisman also redirects to HTTPS, rewrites
session cookie flags and manages nonces — settings other parts of the app own.
See docs/security.md, «Headers and diagram sources».
"""
POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",  # the app's own files only: no inline script, no eval
    # Style sheets from the app only; style *attributes* are allowed because bpmn-js and its properties
    # panel build markup from HTML strings carrying them (see docs/security.md). Browsers without the
    # -elem/-attr directives read the plain style-src, which must then allow both.
    "style-src 'self' 'unsafe-inline'",
    "style-src-elem 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",  # bpmn-js.css and the properties panel's CSS draw small icons as data: SVGs
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Referrer-Policy": "same-origin",
}
# A diagram source is data to save, never a page: the browser downloads it and, should it render it
# anyway, runs nothing from it.
DOWNLOAD_POLICY = "sandbox; default-src 'none'"


def init_app(app):
    app.after_request(add_security_headers)


def add_security_headers(response):
    """Set the headers a view did not set itself (a download keeps its stricter policy)."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def download_headers(filename):
    """The headers of a file served as a download that must never render on the app's origin."""
    return {"Content-Disposition": f'attachment; filename="{filename}"', "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": DOWNLOAD_POLICY}
