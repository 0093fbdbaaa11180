from . import notifications


def announce_pending() -> int:
    return notifications.announce_pending()
