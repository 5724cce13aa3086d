"""Login (rate-limited), logout (here or everywhere) and the language switch."""
from urllib.parse import urlsplit

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from engine.db import db
from processes import sessions, throttle
from web.auth import bp
from web.i18n import LANGUAGES


def _safe_next(target):
    """Only same-site paths: a login link must not bounce the user elsewhere; without one, the user's home."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not (target or "").startswith("/") or target.startswith("//"):
        return _home()
    return target


def _home():
    """Where a user lands: a director on «Решения», everyone else on the deals journal."""
    if current_user.is_authenticated and current_user.role == "director":
        return url_for("tasks.decisions_page")
    return url_for("journal.index", journalId="deals-journal")


def _fresh_session():
    """Drop everything in the session but the chosen language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request.args.get("next")))
    error, status = None, 200
    if request.method == "POST":
        try:
            user = throttle.login(request.form.get("username", ""), request.form.get("password", ""),
                                  request.remote_addr or "")
        except throttle.Throttled:
            user, error, status = None, _("Too many failed attempts. Try again in 15 minutes."), 429
        else:
            if user is None:
                error, status = _("Wrong username or password."), 401
            else:
                if current_user.is_authenticated:  # logging in over a live session replaces it
                    sessions.end(current_user.session_secret)
                sessions.open_session(user)
        db.session.commit()
        if user is not None:
            _fresh_session()  # no session fixation: a new secret in a cleared cookie
            login_user(user)
            session.permanent = True  # the cookie lasts as long as the idle limit (PERMANENT_SESSION_LIFETIME)
            return redirect(_safe_next(request.form.get("next")))
    return render_template("auth/login.html", error=error, next=request.values.get("next", ""),
                           username=request.form.get("username", "")), status


@bp.post("/logout")
@login_required
def logout():
    sessions.end(current_user.session_secret)
    db.session.commit()
    logout_user()
    _fresh_session()
    return redirect(url_for("auth.login"))


@bp.post("/logout/everywhere")
@login_required
def logout_everywhere():
    """End every session of the user: other browsers and devices too."""
    sessions.end_all(current_user)
    db.session.commit()
    logout_user()
    _fresh_session()
    return redirect(url_for("auth.login"))


@bp.get("/lang/<code>")
def set_language(code):
    if code in LANGUAGES:
        session["lang"] = code
    return redirect(_safe_next(request.args.get("next")))


@bp.get("/")
def home():
    return redirect(_home())


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page links: the one icon is the SVG (pages link it too)."""
    return redirect(url_for("static", filename="favicon.svg"), 301)
