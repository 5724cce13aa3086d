"""Files on assignments: checked, kept in the database, read only by who may see the assignment.

Files arrive as plain ``Upload`` values (the web face reads them from the
request), so the rules here know nothing of HTTP. The name is kept as the
uploader's computer wrote it (Cyrillic included, only path parts and control
characters removed): werkzeug's ``secure_filename`` would turn «Договор.pdf»
into «pdf».
"""
import mimetypes
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select

from engine.db import db
from processes.access import require_can_see
from processes.errors import FilesRefused, NotFound
from processes.fields import lookup_id, utc_text
from tasks.assignment_models import Assignment, AssignmentFile

MAX_FILE_MB = 10
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
MAX_FILES = 10
NAME_LENGTH = 255
TOO_LARGE = "larger than the limit"  # the form shows which files and the limit, translated
TOO_MANY = "too many files"
MEDIA_TYPE = re.compile(r"^[\w.+-]+/[\w.+-]+$")  # a declared type is kept only when it is one


@dataclass(frozen=True)
class Upload:
    """A file as sent: its name, declared type and bytes (at most ``MAX_FILE_BYTES + 1`` of them are read)."""

    name: str
    content_type: str
    data: bytes


def clean_name(name):
    """The name to keep: the last path part, no control characters, NFC, at most 255 characters."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if len(text) > NAME_LENGTH:
        stem, dot, ext = text.rpartition(".")
        keep = ext if dot and len(ext) <= 16 else ""
        text = (stem if keep else text)[:NAME_LENGTH - len(keep) - (1 if keep else 0)] + ("." + keep if keep else "")
    return text or "file"


def check(uploads):
    """Refuse too many files or a file over the size limit (the whole form fails, nothing is kept)."""
    uploads = [u for u in uploads if u.name or u.data]
    if len(uploads) > MAX_FILES:
        raise FilesRefused(TOO_MANY)
    too_large = [clean_name(u.name) for u in uploads if len(u.data) > MAX_FILE_BYTES]
    if too_large:
        raise FilesRefused(TOO_LARGE, too_large)
    return uploads


def attach(assignment, uploads, user):
    """Keep the uploads on the assignment (after ``check``); return the new rows."""
    rows = []
    for upload in check(uploads):
        name = clean_name(upload.name)
        declared = (upload.content_type or "").split(";")[0].strip().lower()
        content_type = declared if MEDIA_TYPE.match(declared) else mimetypes.guess_type(name)[0]
        rows.append(AssignmentFile(assignment_id=assignment.id, name=name, size=len(upload.data), data=upload.data,
                                   content_type=(content_type or "application/octet-stream")[:200],
                                   uploaded_by_id=user.id if user is not None else None))
    db.session.add_all(rows)
    db.session.flush()
    return rows


def files_of(assignment, user):
    """The assignment's files (without their bytes), in upload order, for whoever may see it."""
    require_can_see(user, assignment.deal)
    return db.session.scalars(select(AssignmentFile).where(AssignmentFile.assignment_id == assignment.id)
                              .order_by(AssignmentFile.id)).all()


def files_of_deal(deal, user):
    """{assignment id: its files (without their bytes)} of every assignment of a deal, in one query."""
    require_can_see(user, deal)
    found = {}
    for row in db.session.scalars(select(AssignmentFile).join(Assignment, Assignment.id == AssignmentFile.assignment_id)
                                  .where(Assignment.deal_id == deal.id).order_by(AssignmentFile.id)):
        found.setdefault(row.assignment_id, []).append(row)
    return found


def get_file(assignment, file_id, user):
    """One file of this assignment with its bytes; a file of another assignment is not found here."""
    require_can_see(user, assignment.deal)
    number = lookup_id(file_id)
    row = db.session.get(AssignmentFile, number) if number is not None else None
    if row is None or row.assignment_id != assignment.id:
        raise NotFound(f"no file {file_id} on assignment {assignment.id}")
    return row


def file_dict(row):
    return {"id": row.id, "name": row.name, "size": row.size, "content_type": row.content_type,
            "uploaded_at": utc_text(row.uploaded_at)}
