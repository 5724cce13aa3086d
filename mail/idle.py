"""IMAP IDLE (RFC 2177) on an imap-tools MailBox: start, wait for the server's news in short slices, stop.

imap-tools' ``idle.poll`` swallows an end of file (a dropped connection reads as "no news" forever)
and watches only the socket, not the bytes imaplib has already buffered; ``wait`` minds both.
"""
import re
import ssl

from imap_tools.idle import get_socket_poller

from mail.imap import ImapError

NEWS = re.compile(rb"^\* \d+ (EXISTS|RECENT)\b", re.IGNORECASE)
BYE = re.compile(rb"^\* BYE\b", re.IGNORECASE)


class Dropped(ImapError):
    """The server closed the connection (end of file, or BYE)."""


def supported(client):
    """Whether the server announced IDLE (after login)."""
    return "IDLE" in client.client.capabilities


def announced(client):
    """Whether the server told of new letters in the answers to earlier commands (imaplib keeps such news
    aside); forgets it. A letter that arrives during a pass is announced there, not again at the next IDLE."""
    responses = client.client.untagged_responses
    found = [responses.pop(kind, None) for kind in ("EXISTS", "RECENT")]
    return any(found)


def start(client):
    client.idle.start()


def stop(client):
    client.idle.stop()


def wait(client, timeout):
    """True when the server announced new letters within ``timeout`` seconds, else False; Dropped on EOF/BYE."""
    sock = client.client.sock
    if not _buffered(client) and not get_socket_poller(sock, timeout):
        return False
    news = False
    while True:
        line = client.client.readline()  # blocking, under the connection's own timeout
        if not line:
            raise Dropped("the server closed the connection")
        if BYE.match(line):
            raise Dropped(line.decode("utf-8", "replace").strip())
        news = news or bool(NEWS.match(line))
        if not _buffered(client) and not get_socket_poller(sock, 0):
            return news


def _buffered(client):
    """Whether imaplib already holds unread bytes: a readiness poll on the socket would not see them."""
    sock = client.client.sock
    if isinstance(sock, ssl.SSLSocket) and sock.pending():
        return True
    previous = sock.gettimeout()
    sock.settimeout(0)
    try:
        return bool(client.client.file.peek(1))  # buffered bytes, or what the socket has right now
    except (BlockingIOError, ssl.SSLWantReadError):
        return False
    finally:
        sock.settimeout(previous)
