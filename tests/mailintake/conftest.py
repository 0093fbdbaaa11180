from tests.support.imap import _imap_process, imap_server  # noqa: F401  (fixtures)
