"""The IMAP face: mailbox URL, polling with imap-tools, letters parsed into plain data for processes.intake."""
